package io.pinhole.edge.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipMessageTest {

    private static byte[] bytes(String s) {
        return s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void compactFormsExpandAndViaListsSplit() {
        SipMessage m = SipMessage.parse(bytes("""
                OPTIONS sip:x@y SIP/2.0
                v: SIP/2.0/UDP a:1;branch=z9hG4bK1, SIP/2.0/UDP b:2;branch=z9hG4bK2
                i: abc
                f: <sip:a@b>;tag=1
                t: "Bob, Jr" <sip:b@c>
                CSeq: 1 OPTIONS
                l: 0

                """));
        assertThat(m.headers("Via")).hasSize(2);
        assertThat(m.callId()).isEqualTo("abc");
        assertThat(m.header("To")).isEqualTo("\"Bob, Jr\" <sip:b@c>");
        assertThat(m.method()).isEqualTo("OPTIONS");
    }

    @Test
    void bodyIsCutAtContentLengthAndRewrittenLengthFollowsTheBody() {
        SipMessage m = SipMessage.parse(bytes("SIP/2.0 200 OK\nCSeq: 1 INVITE\nContent-Type: application/sdp\nContent-Length: 3\n\nv=0junk"));
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("v=0");
        m.setBody("v=0\r\ns=-\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(m.toBytes(), StandardCharsets.UTF_8)).contains("Content-Length: 10\r\n");
        assertThat(m.method()).isEqualTo("INVITE");
        assertThat(m.status()).isEqualTo(200);
    }

    @Test
    void truncatedAndMalformedMessagesAreRefusedNamingWhy() {
        assertThatThrownBy(() -> SipMessage.parse(bytes("INVITE sip:x SIP/2.0\nContent-Length: 50\n\nv=0")))
                .hasMessageContaining("Content-Length 50");
        assertThatThrownBy(() -> SipMessage.parse(bytes("HELLO\n\n"))).hasMessageContaining("not a SIP/2.0 start line");
        assertThatThrownBy(() -> SipMessage.parse(bytes("INVITE sip:x SIP/2.0\nno colon here\n\n")))
                .hasMessageContaining("header line without a name");
        assertThatThrownBy(() -> SipMessage.parse(bytes("INVITE sip:x SIP/2.0\nCall-ID: 1"))).hasMessageContaining("no blank line");
    }
}
