package io.pinhole.sip.hep;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.pinhole.sip.Slf4jStackLogger;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactionTest {

    private static final String TOKEN = "alice@edge.example:" + "ab".repeat(32);

    private static SIPMessage register(String edge) throws Exception {
        String text = "REGISTER sip:edge.example SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 10.0.0.2:5061;branch=z9hG4bK-1;rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@edge.example>;tag=1\r\nTo: <sip:alice@edge.example>\r\n"
                + "Call-ID: reg-1\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@10.0.0.2:5061;transport=tls>\r\n"
                + (edge == null ? "" : "Pinhole-Edge: " + edge + "\r\n")
                + "Content-Length: 0\r\n\r\n";
        return new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    @Test
    void anEdgeAgentsTokenNeverReachesACapture() throws Exception {
        SIPMessage m = register("media=tls;udp-out=no;udp-in=no;id=3f1c;token=" + TOKEN);

        String captured = new String(SecretRedaction.wire(m, false), StandardCharsets.ISO_8859_1);

        assertThat(captured).doesNotContain("abab").contains("token=redacted")
                .contains("media=tls;udp-out=no;udp-in=no;id=3f1c").contains("Call-ID: reg-1");
    }

    /** On the wire the header may be folded: the redaction reads the parsed message, never those bytes. */
    @Test
    void aTokenIsRedactedEvenWhenTheWireBytesAreAtHand() throws Exception {
        String folded = "REGISTER sip:edge.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-2\r\n"
                + "From: <sip:alice@edge.example>;tag=1\r\nTo: <sip:alice@edge.example>\r\nCall-ID: reg-2\r\n"
                + "CSeq: 2 REGISTER\r\nPinhole-Edge: id=3f1c;\r\n token=" + TOKEN + "\r\n"
                + "Pinhole-Edge: id=2;token=" + TOKEN + "\r\nContent-Length: 0\r\n\r\n";
        byte[] wire = folded.getBytes(StandardCharsets.ISO_8859_1);
        SIPMessage m = new StringMsgParser().parseSIPMessage(wire, true, false, null);
        Slf4jStackLogger.traceMessages(true);
        try {
            WireBytes.received(m, wire);

            String captured = new String(SecretRedaction.wire(m, false), StandardCharsets.ISO_8859_1);

            assertThat(captured).doesNotContain("abab").contains("Call-ID: reg-2");
        } finally {
            WireBytes.forget(m);
            Slf4jStackLogger.traceMessages(false);
        }
    }

    @Test
    void aMessageWithoutATokenIsKeptAsOnTheWire() throws Exception {
        SIPMessage plain = register(null);
        SIPMessage edge = register("media=udp;udp-out=yes;udp-in=yes;id=3f1c");

        assertThat(SecretRedaction.wire(plain, true)).as("no wire bytes at hand: encoded").isEqualTo(plain.encodeAsBytes("TLS"));
        assertThat(SecretRedaction.wire(edge, true)).isEqualTo(edge.encodeAsBytes("TLS"));

        byte[] wire = "REGISTER sip:edge.example SIP/2.0\r\ni: reg-3\r\n...".getBytes(StandardCharsets.ISO_8859_1);
        Slf4jStackLogger.traceMessages(true);
        try {
            WireBytes.received(plain, wire);
            assertThat(SecretRedaction.wire(plain, false)).as("the very bytes received").isSameAs(wire);
            assertThat(SecretRedaction.wire(plain, true)).as("not for the other direction").isEqualTo(plain.encodeAsBytes("TLS"));
            assertThat(SecretRedaction.wire(edge, false)).as("not for another message").isEqualTo(edge.encodeAsBytes("TLS"));
        } finally {
            WireBytes.forget(plain);
            Slf4jStackLogger.traceMessages(false);
        }
    }

    @Test
    void onlyTheEdgeHeaderIsRewritten() {
        String text = "REGISTER sip:x SIP/2.0\r\nX-Note: ;token=keep\r\npinhole-edge: id=1 ; token = s3cret;up=udp\r\n\r\nbody;token=keep";

        assertThat(SecretRedaction.redact(text)).isEqualTo(
                "REGISTER sip:x SIP/2.0\r\nX-Note: ;token=keep\r\npinhole-edge: id=1 ; token = redacted;up=udp\r\n\r\nbody;token=keep");
    }
}
