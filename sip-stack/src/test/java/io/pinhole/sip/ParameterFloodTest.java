package io.pinhole.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.parser.MessageParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import org.junit.jupiter.api.Test;

/** The regression for the quadratic Request-URI parse {@code SipParserFuzzTest} found. */
class ParameterFloodTest {

    private static final String HEADERS = "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nTo: <sip:b@example.com>\r\n"
            + "From: <sip:a@example.com>;tag=1\r\nCall-ID: c1\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\n";

    private static byte[] register(String uriTail, String extraHeader, String body) {
        return ("REGISTER sip:example.com" + uriTail + " SIP/2.0\r\n" + HEADERS + extraHeader + "Content-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRequestUriOfFifteenThousandEmptyParametersIsRefusedAtOnce() {
        // the fuzzer's find: 66 KB of ';' held the parser for more than 4 s; 15,000 took ~1.8 s
        MessageParser parser = new ReadableParseErrors().createMessageParser(null);
        byte[] flood = register(";".repeat(15_000), "", "");

        long started = System.nanoTime();
        assertThatThrownBy(() -> parser.parseSIPMessage(flood, true, false, null))
                .isInstanceOf(ParseException.class).hasMessage("start line has more than 256 parameters");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(100);
    }

    @Test
    void namesTheHeaderLineAndLeavesTheBodyAlone() {
        assertThat(ParameterFlood.excess(register("", "Contact: <sip:a@h>" + ";x".repeat(257) + "\r\n", "")))
                .isEqualTo("header line 7 has more than 256 parameters");
        assertThat(ParameterFlood.excess(register("", "Contact: <sip:a@h>" + ";x".repeat(256) + "\r\n",
                ";".repeat(5000)))).isNull();
    }

    @Test
    void anOrdinaryRequestStillParses() throws Exception {
        MessageParser parser = new ReadableParseErrors().createMessageParser(null);
        assertThat(parser.parseSIPMessage(register(";transport=udp;lr", "", ""), true, false, null)).isNotNull();
    }
}
