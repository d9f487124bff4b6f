package io.pinhole.proxy.punch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectSdpTest {

    /** What our relay hands a phone: its own address in o= and c=, its port, an a=rtcp line. */
    private static final String RELAYED = """
            v=0\r
            o=- 1733 7 IN IP4 203.0.113.1\r
            s=-\r
            c=IN IP4 203.0.113.1\r
            t=0 0\r
            m=audio 45002 RTP/AVP 8 101\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=rtcp:45003\r
            a=sendrecv\r
            """;

    @Test
    void pointsTheMediaAtThePeersPublicAddressWithTheVersionOneUpAndTheCodecsKept() throws Exception {
        String direct = DirectSdp.towards(RELAYED, "203.0.113.12", 40002);

        assertThat(direct).isEqualTo("""
                v=0\r
                o=- 1733 8 IN IP4 203.0.113.12\r
                s=-\r
                c=IN IP4 203.0.113.12\r
                t=0 0\r
                m=audio 40002 RTP/AVP 8 101\r
                a=rtpmap:8 PCMA/8000\r
                a=rtpmap:101 telephone-event/8000\r
                a=rtcp:45003 IN IP4 203.0.113.1\r
                a=sendrecv\r
                """);
    }

    @Test
    void keepsRtcpOnTheRelaySoTheReceiverReportsStillReachIt() throws Exception {
        String noRtcpLine = "v=0\r\no=- 1 1 IN IP4 203.0.113.1\r\ns=-\r\nc=IN IP4 203.0.113.1\r\nt=0 0\r\n"
                + "m=audio 45002 RTP/AVP 0\r\na=sendrecv\r\n";

        assertThat(DirectSdp.towards(noRtcpLine, "203.0.113.12", 40002)).as("RTCP on the port above RTP, at the relay")
                .endsWith("a=sendrecv\r\na=rtcp:45003 IN IP4 203.0.113.1\r\n");
        assertThat(DirectSdp.towards(RELAYED + "a=rtcp-mux\r\n", "203.0.113.12", 40002))
                .as("muxed RTCP goes with RTP: no line naming the relay").doesNotContain("a=rtcp:");
    }

    @Test
    void dropsTheRelaysIceCandidatesWhichWouldNameTheRelayAgain() throws Exception {
        String withIce = RELAYED.replace("t=0 0\r\n", "t=0 0\r\na=ice-lite\r\n") + "a=ice-ufrag:Ab3d\r\n"
                + "a=ice-pwd:0123456789abcdefABCDEF01\r\na=candidate:1 1 UDP 2130706431 203.0.113.1 45002 typ host\r\n"
                + "a=candidate:1 2 UDP 2130706430 203.0.113.1 45003 typ host\r\n";

        assertThat(DirectSdp.towards(withIce, "203.0.113.12", 40002))
                .isEqualTo(DirectSdp.towards(RELAYED, "203.0.113.12", 40002));
    }

    @Test
    void rewritesMediaLevelConnectionLinesAndAcceptsBareNewlines() throws Exception {
        String sdp = "v=0\no=- 1 1 IN IP4 203.0.113.1\ns=-\nt=0 0\nm=audio 45002 RTP/AVP 0\nc=IN IP4 203.0.113.1\n";

        assertThat(DirectSdp.towards(sdp, "203.0.113.11", 5000))
                .contains("o=- 1 2 IN IP4 203.0.113.11\r\n", "m=audio 5000 RTP/AVP 0\r\n", "c=IN IP4 203.0.113.11\r\n");
    }

    @Test
    void goesBackToTheRelayedSdpOneVersionAboveTheDirectOne() throws Exception {
        String direct = DirectSdp.towards(RELAYED, "203.0.113.12", 40002);

        String back = DirectSdp.again(RELAYED, direct);

        assertThat(back).isEqualTo(RELAYED.replace("o=- 1733 7 ", "o=- 1733 9 "));
        assertThat(DirectSdp.version(back)).isEqualTo(DirectSdp.version(direct) + 1);
    }

    @Test
    void refusesWhatItCannotMoveAlone() {
        assertThatThrownBy(() -> DirectSdp.towards(RELAYED + "m=video 45004 RTP/AVP 96\r\n", "203.0.113.12", 1))
                .isInstanceOf(DirectSdp.Unusable.class).hasMessageContaining("more than one media line");
        assertThatThrownBy(() -> DirectSdp.towards("v=0\r\no=- 1 1 IN IP4 a\r\nm=video 1 RTP/AVP 96\r\n", "b", 2))
                .isInstanceOf(DirectSdp.Unusable.class).hasMessageContaining("not one audio stream");
        assertThatThrownBy(() -> DirectSdp.towards("v=0\r\no=- 1 x IN IP4 a\r\nm=audio 1 RTP/AVP 0\r\n", "b", 2))
                .isInstanceOf(DirectSdp.Unusable.class).hasMessageContaining("malformed o= line");
        assertThatThrownBy(() -> DirectSdp.towards("v=0\r\no=- 1 1 IN IP4 a\r\n", "b", 2))
                .isInstanceOf(DirectSdp.Unusable.class).hasMessageContaining("no audio stream");
    }
}
