package io.pinhole.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import io.pinhole.wire.fuzz.FuzzLoop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RI's message parser as the stack uses it ({@link ReadableParseErrors}, with our request
 * syntax checks), on mutations of RFC 4475's torture messages (the proxy's copies, byte for
 * byte) and of ordinary requests and responses. The only refusal is a {@link ParseException};
 * what parses can be answered (a 400 built from it and encoded), and the raw 400 writer for an
 * unparsable request copes with whatever it is given.
 */
class SipParserFuzzTest {

    /** The largest message the proxy can be configured to accept ({@code pinhole.sip.max-message-bytes}). */
    private static final int MAX_MESSAGE_BYTES = 65_536;
    private static final Path RFC4475 = Path.of("..", "proxy", "src", "test", "resources", "rfc4475");

    private static List<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>(FuzzLoop.filesIn(RFC4475).stream()
                .filter(b -> b.length > 0 && b[0] != '#').toList());
        String via = "Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-fuzz;rport\r\n";
        String common = "Max-Forwards: 70\r\nFrom: \"Alice\" <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:alice@example.com>\r\nCall-ID: fuzz-1@192.0.2.1\r\n";
        seeds.add(("REGISTER sip:example.com SIP/2.0\r\n" + via + common + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:alice@192.0.2.1:5062;transport=udp>;expires=3600\r\n"
                + "Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", "
                + "uri=\"sip:example.com\", response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        String sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0 8\r\na=sendrecv\r\n";
        seeds.add(("INVITE sip:bob@example.com SIP/2.0\r\n" + via + common + "CSeq: 2 INVITE\r\n"
                + "Contact: <sip:alice@192.0.2.1:5062>\r\nRoute: <sip:proxy.example.com;lr>\r\n"
                + "Session-Expires: 1800;refresher=uac\r\nSupported: timer, 100rel\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp)
                .getBytes(StandardCharsets.UTF_8));
        seeds.add(("SIP/2.0 401 Unauthorized\r\n" + via + common.replace("To: <sip:alice@example.com>",
                "To: <sip:alice@example.com>;tag=b2") + "CSeq: 1 REGISTER\r\n"
                + "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"abc\", qop=\"auth\", algorithm=MD5\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    @Test
    void parsingOnlyEverRefusesWithAParseException() throws Exception {
        MessageParser parser = new ReadableParseErrors().createMessageParser(null);
        long inputs = FuzzLoop.of("sip", seeds(), true, ParseException.class).atLeast(1001).seconds(8)
                .perInput(Duration.ofSeconds(1)).run(input -> {
                    if (input.length > MAX_MESSAGE_BYTES) {
                        return; // the stack drops it unread (UDP) or stops reading (TCP)
                    }
                    String text = new String(input, StandardCharsets.UTF_8);
                    // what the stack does with an unparsable request before it throws
                    if (ReadableParseErrors.isAnswerableRequest(text)) {
                        ReadableParseErrors.viaPort(text);
                        ReadableParseErrors.badRequest(text, "fuzz");
                    }
                    SIPMessage message = parser.parseSIPMessage(input, true, false, null);
                    if (message instanceof SIPRequest request) {
                        request.createResponse(400, "fuzz").encode();
                    } else if (message != null) {
                        message.encode();
                    }
                });
        assertThat(inputs).isGreaterThan(1000);
    }
}
