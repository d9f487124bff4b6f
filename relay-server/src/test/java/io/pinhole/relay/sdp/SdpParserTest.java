package io.pinhole.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SdpParserTest {

    @Test
    void readsMediaFacts() throws Exception {
        SessionDescription d = SdpParser.parse("v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\na=sendonly\r\n"
                + "m=audio 4000 RTP/AVP 8 0 101\r\na=rtcp:4005\r\nm=video 4002 RTP/SAVP 96\r\nc=IN IP6 2001:db8::1\r\na=rtcp-mux\r\na=inactive\r\n"
                + "m=text 0 RTP/AVP 98\r\n");
        List<SdpMedia> m = d.media();
        assertThat(m).hasSize(3);
        assertThat(m.get(0)).isEqualTo(new SdpMedia(0, "audio", 4000, "RTP/AVP", InetAddress.getByName("10.0.0.5"),
                Direction.SENDONLY, 4005, false, PayloadTypes.of(8, 0, 101)));
        assertThat(m.get(1)).isEqualTo(new SdpMedia(1, "video", 4002, "RTP/SAVP", InetAddress.getByName("2001:db8::1"),
                Direction.INACTIVE, -1, true, PayloadTypes.of(96)));
        assertThat(m.get(2).port()).isZero();
        assertThat(m.get(2).quiet()).isTrue();
    }

    @Test
    void keepsOnlyNumericFormatsAsPayloadTypes() throws Exception {
        SessionDescription d = SdpParser.parse("v=0\r\nc=IN IP4 10.0.0.5\r\nm=image 4000 udptl t38\r\n"
                + "m=audio 4002 RTP/AVP 127 128 -1 0 0127 x9\r\n");
        assertThat(d.media().get(0).formats()).isEqualTo(PayloadTypes.NONE);
        // 128 is out of range, -1 and x9 are not numbers, 0127 has four digits
        assertThat(d.media().get(1).formats()).isEqualTo(PayloadTypes.of(0, 127));
    }

    @Test
    void payloadTypeSetsHold0To127() {
        PayloadTypes set = PayloadTypes.of(0, 63, 64, 127, 128, -1);
        assertThat(set.contains(0)).isTrue();
        assertThat(set.contains(63)).isTrue();
        assertThat(set.contains(64)).isTrue();
        assertThat(set.contains(127)).isTrue();
        assertThat(set.contains(1)).isFalse();
        assertThat(set.contains(128)).isFalse();
        assertThat(set.contains(-1)).isFalse();
        assertThat(PayloadTypes.of(8).union(PayloadTypes.of(101))).isEqualTo(PayloadTypes.of(101, 8));
    }

    @Test
    void recognisesHoldByAddress() throws Exception {
        SdpMedia m = SdpParser.parse("v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 8\r\n").media().get(0);
        assertThat(m.onHoldByAddress()).isTrue();
        assertThat(m.quiet()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "x=0\r\n", "v=0\r\nm=audio 4000 RTP/AVP 8\r\n", "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio x RTP/AVP 8\r\n",
            "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 70000 RTP/AVP 8\r\n", "v=0\r\nc=IN IP4 phone.example.com\r\nm=audio 4000 RTP/AVP 8\r\n",
            "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio\r\n", "v=0\r\nc=IN IP4\r\n", "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 8\r\nbroken line\r\n"})
    void rejectsWhatCannotBeRelayed(String sdp) {
        assertThatThrownBy(() -> SdpParser.parse(sdp)).isInstanceOf(SdpException.class)
                .hasMessageStartingWith("Failed to parse SDP");
    }
}
