package io.pinhole.proxy.conference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartySdpTest {

    private static final String ANSWER = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
            + "m=audio 30000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n";

    @Test
    void readsTheCodecOfTheAnswer() {
        assertThat(PartySdp.codec(ANSWER)).isEqualTo("PCMA");
        assertThat(PartySdp.codec(ANSWER.replace("RTP/AVP 8 101", "RTP/AVP 0"))).isEqualTo("PCMU");
        assertThat(PartySdp.codec("v=0\r\n")).isNull();
    }

    @Test
    void seesHoldInEachOfItsForms() {
        assertThat(PartySdp.holds(ANSWER)).isFalse();
        assertThat(PartySdp.holds(ANSWER.replace("a=sendrecv", "a=sendonly"))).isTrue();
        assertThat(PartySdp.holds(ANSWER.replace("a=sendrecv", "a=inactive"))).isTrue();
        assertThat(PartySdp.holds(ANSWER.replace("c=IN IP4 10.0.0.1", "c=IN IP4 0.0.0.0"))).isTrue();
    }
}
