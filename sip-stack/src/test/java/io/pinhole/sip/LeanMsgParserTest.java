package io.pinhole.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LeanMsgParser} makes the same message as the RI's parser from any input: the plain
 * header values it reads itself come out as the RI's own header objects, and every other input
 * (odd spacing, compact names, bad values, RFC 4475's torture messages) gets the RI's verdict.
 */
class LeanMsgParserTest {

    private static final Path RFC4475 = Path.of("..", "proxy", "src", "test", "resources", "rfc4475");

    @ParameterizedTest
    @ValueSource(strings = {"Call-ID: a84b4c76e66710@pc33.atlanta.com", "i: 843817637684230@998sdasdh09",
            "call-id:   abc  ", "CSeq: 1 REGISTER", "cseq: 314159 invite", "CSeq:\t2\t\tBYE", "CSeq: 7 FOO-BAR",
            "Max-Forwards: 70", "max-forwards:0", "Max-Forwards: 255", "Content-Length: 0", "l: 1234",
            "Expires: 3600", "EXPIRES: 0", "Expires: 007"})
    void plainValuesBecomeTheHeaderTheRiMakes(String line) throws Exception {
        SIPHeader lean = LeanMsgParser.simpleHeader(line);
        SIPHeader ri = StringMsgParser.parseSIPHeader(line);

        assertThat(lean).as(line).isNotNull();
        assertThat(lean).isEqualTo(ri);
        assertThat(lean.encode()).isEqualTo(ri.encode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Call-ID: a b", "Call-ID: caf\u00e9", "Call-ID:", "CSeq: 1", "CSeq: REGISTER",
            "CSeq: 1 REGISTER x", "CSeq: -1 BYE", "CSeq: 1234567890 BYE", "CSeq: 1REGISTER", "CSeq: 1 RE;GISTER",
            "Max-Forwards: 256", "Max-Forwards: -1", "Max-Forwards: 7 0", "Content-Length: x",
            "Content-Length: 99999999999", "Expires: 1.5", "Expires: Thu, 01 Dec 1994 16:00:00 GMT",
            "Via: SIP/2.0/UDP host", "To: <sip:a@b>", "No-Colon", ": 5", "Subject: 70"})
    void everythingElseIsLeftToTheRi(String line) {
        assertThat(LeanMsgParser.simpleHeader(line)).as(line).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-1;rport", "v: SIP/2.0/TCP h;branch=z9hG4bK-2",
            "From: <sip:alice@example.com>;tag=a1", "t: \"B\" <sip:b@example.com>", "Contact: <sip:a@192.0.2.1:5062;transport=udp>",
            "m: *", "Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"0\"",
            "User-Agent: SIPp", "Supported: outbound", "Route: <sip:p;lr>", "Record-Route: <sip:p;lr>", "Allow: INVITE, BYE",
            "Require: 100rel", "c: application/sdp", "CSeq : 1 INVITE"})
    void commonHeadersGoToTheParserTheRiWouldPick(String line) throws Exception {
        SIPHeader lean = LeanMsgParser.parsedByItsParser(line);
        SIPHeader ri = StringMsgParser.parseSIPHeader(line);

        assertThat(lean).as(line).isNotNull();
        assertThat(lean.getClass()).isEqualTo(ri.getClass());
        assertThat(lean.encode()).isEqualTo(ri.encode());
    }

    static Stream<String> messages() throws Exception {
        List<String> messages = new ArrayList<>();
        try (Stream<Path> files = Files.list(RFC4475)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".dat")).sorted().toList()) {
                messages.add(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        messages.add("INVITE sip:bob@example.com SIP/2.0\r\nv: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-2\r\n"
                + "v: SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bK-3;received=192.0.2.9\r\n"
                + "f: \"A\" <sip:a@example.com>;tag=1\r\nt: sip:bob@example.com\r\ni: x@y\r\nCSeq: 5 INVITE\r\n"
                + "m: <sip:a@192.0.2.1>;expires=60, <sip:a@192.0.2.2>;q=0.5\r\nk: timer, 100rel\r\nRequire: 100rel\r\n"
                + "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\nRecord-Route: <sip:p0.example.com;lr>\r\n"
                + "Allow: INVITE, ACK, BYE\r\nUser-Agent: Foo/1.0 (bar)\r\nMax-Forwards: 69\r\n"
                + "Proxy-Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:b@e\", response=\"0\"\r\n"
                + "Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:b@e\", response=\"0\", qop=auth, nc=00000001, cnonce=\"c\"\r\n"
                + "c: application/sdp\r\nl: 0\r\n\r\n");
        messages.add("OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-2;rport=x\r\n"
                + "Via SIP/2.0/UDP host\r\nFrom: <sip:a@example.com;tag=1\r\nTo: \"unterminated <sip:b@example.com>\r\n"
                + "Call-ID: x@y\r\nCSeq: 5 OPTIONS\r\nContact: <sip:a@[::1>\r\nSupported: \r\nRoute: <sip:p1;lr\r\n"
                + "Allow: INVITE,\r\nUser-Agent: (unclosed\r\nAuthorization: Basic abc\r\nMax-Forwards: 70\r\n\r\n");
        String head = "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-1;rport\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:alice@example.com>\r\n";
        for (String variant : List.of("Call-ID: c1@192.0.2.1\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\nExpires: 60\r\n",
                "i: c1\r\nCSeq: 1 REGISTER\r\nCSeq: 2 REGISTER\r\nMax-Forwards: 70\r\n",
                "Call-ID: c1\r\nCall-ID: c2\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 300\r\n",
                "Call-ID: c1\r\nCSeq: 1\r\n REGISTER\r\nMax-Forwards: 70\r\nExpires: 1 2\r\n",
                "Call-ID: c1\r\nCSeq: 99999999999 REGISTER\r\nMax-Forwards: 70\r\nl: 5\r\n\r\nhello")) {
            messages.add(head + variant + (variant.contains("l: 5") ? "" : "Content-Length: 0\r\n\r\n"));
        }
        return messages.stream();
    }

    @ParameterizedTest
    @MethodSource("messages")
    void wholeMessagesParseAsTheRiParsesThem(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        for (boolean strict : new boolean[] {false, true}) {
            String ri = outcome(new StringMsgParser(), bytes, strict);
            String lean = outcome(new LeanMsgParser(), bytes, strict);
            assertThat(lean).isEqualTo(ri);
        }
    }

    private static String outcome(StringMsgParser parser, byte[] bytes, boolean strict) {
        try {
            SIPMessage parsed = parser.parseSIPMessage(bytes, true, strict, null);
            return parsed == null ? "null" : parsed.encode() + "|unrecognized=" + unrecognized(parsed);
        } catch (ParseException e) {
            // the RI's messages carry char-array identities ("[C@7f28...") that differ per run
            return "ParseException: " + String.valueOf(e.getMessage()).replaceAll("\\[C@[0-9a-f]+", "[C@");
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static List<String> unrecognized(SIPMessage message) {
        List<String> lines = new ArrayList<>();
        message.getUnrecognizedHeaders().forEachRemaining(lines::add);
        return lines;
    }
}
