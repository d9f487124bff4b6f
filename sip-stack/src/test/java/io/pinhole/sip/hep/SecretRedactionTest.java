package io.pinhole.sip.hep;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
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

        String text = SecretRedaction.encode(m);
        String bytes = new String(SecretRedaction.encodeAsBytes(m, "TLS"), StandardCharsets.ISO_8859_1);

        for (String captured : new String[] {text, bytes}) {
            assertThat(captured).doesNotContain("abab").contains("token=redacted")
                    .contains("media=tls;udp-out=no;udp-in=no;id=3f1c").contains("Call-ID: reg-1");
        }
    }

    @Test
    void aMessageWithoutATokenIsEncodedAsIs() throws Exception {
        SIPMessage plain = register(null);
        SIPMessage edge = register("media=udp;udp-out=yes;udp-in=yes;id=3f1c");

        assertThat(SecretRedaction.encode(plain)).isEqualTo(plain.encode());
        assertThat(SecretRedaction.encode(edge)).isEqualTo(edge.encode());
        assertThat(SecretRedaction.encodeAsBytes(edge, "UDP")).isEqualTo(edge.encodeAsBytes("UDP"));
    }

    @Test
    void onlyTheEdgeHeaderIsRewritten() {
        String text = "REGISTER sip:x SIP/2.0\r\nX-Note: ;token=keep\r\npinhole-edge: id=1 ; token = s3cret;up=udp\r\n\r\nbody;token=keep";

        assertThat(SecretRedaction.redact(text)).isEqualTo(
                "REGISTER sip:x SIP/2.0\r\nX-Note: ;token=keep\r\npinhole-edge: id=1 ; token = redacted;up=udp\r\n\r\nbody;token=keep");
    }
}
