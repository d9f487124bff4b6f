package io.pinhole.proxy.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IceSdpTest {

    private static final String PLAIN = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";

    @Test
    void aPhoneWithCredentialsOrCandidatesSpeaksIce() {
        assertThat(IceSdp.offersIce(PLAIN + "a=ice-ufrag:F7gI\r\na=ice-pwd:x9cmlx9cmlx9cmlx9cmlx9\r\n")).isTrue();
        assertThat(IceSdp.offersIce(PLAIN.replace("\r\n", "\n") + "a=candidate:1 1 UDP 2130706431 10.0.0.5 4000 typ host\n"))
                .isTrue();
    }

    @Test
    void aPlainPhoneOrNoBodyDoesNot() {
        assertThat(IceSdp.offersIce(PLAIN)).isFalse();
        assertThat(IceSdp.offersIce(PLAIN + "a=rtcp-mux\r\n")).isFalse();
        assertThat(IceSdp.offersIce(null)).isFalse();
    }
}
