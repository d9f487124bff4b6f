package io.pinhole.edge.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpRewriterTest {

    private static final String RELAY_ANSWER = String.join("\r\n",
            "v=0",
            "o=- 1 2 IN IP4 203.0.113.5",
            "s=-",
            "c=IN IP4 203.0.113.5",
            "t=0 0",
            "a=pinhole-media:tls 443 AbCdEfGhIjKlMnOpQrStUv",
            "m=audio 30000 RTP/AVP 0 101",
            "a=rtcp:30001",
            "a=candidate:1 1 UDP 2130706431 203.0.113.5 30000 typ host",
            "m=video 0 RTP/AVP 96",
            "") ;

    @Test
    void readsTheRelaysPortsAndThePinholeAttribute() {
        SdpView v = SdpView.parse(RELAY_ANSWER);

        assertThat(v.pinhole()).isEqualTo(new PinholeMedia(Transport.TLS, 443, "AbCdEfGhIjKlMnOpQrStUv"));
        assertThat(v.host()).isEqualTo("203.0.113.5");
        assertThat(v.streams()).containsExactly(new SdpView.Stream(0, "203.0.113.5", 30000, 30001),
                new SdpView.Stream(1, "203.0.113.5", 0, 0));
    }

    @Test
    void phoneSeesTheAgentsAddressAndPortsWithoutThePinholeAttributeOrCandidates() {
        String out = SdpRewriter.rewrite(RELAY_ANSWER, "192.168.1.2", List.of(20000, 20002));

        assertThat(out).contains("c=IN IP4 192.168.1.2\r\n", "m=audio 20000 RTP/AVP 0 101\r\n", "a=rtcp:20001 IN IP4 192.168.1.2\r\n",
                "m=video 0 RTP/AVP 96\r\n", "o=- 1 2 IN IP4 203.0.113.5\r\n");
        assertThat(out).doesNotContain("pinhole-media", "candidate", "30000");
    }

    @Test
    void mediaLevelConnectionOverridesTheSessionOne() {
        SdpView v = SdpView.parse("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 0\nc=IN IP4 10.0.0.2\nm=audio 5000 RTP/AVP 0\n");
        assertThat(v.streams()).extracting(SdpView.Stream::host).containsExactly("10.0.0.2", "10.0.0.1");
    }

    @Test
    void badPinholeAttributeIsRefusedNamingWhy() {
        assertThatThrownBy(() -> SdpView.parse("v=0\na=pinhole-media:smoke 443 tok\nm=audio 1 RTP/AVP 0\n"))
                .hasMessageContaining("unknown transport smoke");
        assertThatThrownBy(() -> SdpView.parse("v=0\na=pinhole-media:tls 443 not/a/token\nm=audio 1 RTP/AVP 0\n"))
                .hasMessageContaining("token");
        assertThatThrownBy(() -> SdpView.parse("v=0\na=pinhole-media:http 99999 abc\nm=audio 1 RTP/AVP 0\n"))
                .hasMessageContaining("out of range");
    }
}
