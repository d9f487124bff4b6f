package io.pinhole.proxy.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdpParserTest {

    private static final String AUDIO_VIDEO = String.join("\r\n",
            "v=0", "o=- 1 1 IN IP4 192.168.1.20", "s=-", "c=IN IP4 192.168.1.20", "t=0 0",
            "m=audio 4000 RTP/AVP 8 0", "a=rtpmap:8 PCMA/8000",
            "m=video 4002 RTP/AVP 96", "c=IN IP4 192.168.1.21", "a=sendonly", "");

    @Test
    void summarisesAddressesAndPorts() throws Exception {
        SdpSummary summary = SdpParser.parse(AUDIO_VIDEO);

        assertThat(summary.sessionAddress()).isEqualTo("192.168.1.20");
        assertThat(summary.media()).containsExactly(
                new SdpSummary.Media("audio", 4000, "192.168.1.20"),
                new SdpSummary.Media("video", 4002, "192.168.1.21"));
        assertThat(summary.connectionAddresses()).containsExactly("192.168.1.20", "192.168.1.21");
    }

    @Test
    void acceptsIpv6AndDisabledStreams() throws Exception {
        SdpSummary summary = SdpParser.parse("v=0\no=- 1 1 IN IP6 ::1\ns=-\nc=IN IP6 2001:db8::7\nt=0 0\nm=audio 0 RTP/AVP 0\n");

        assertThat(summary.media()).singleElement().extracting(SdpSummary.Media::port).isEqualTo(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "hello",
            "v=1\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n",
            "v=0\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio 99999 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio -5 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 999.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP6 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 4000 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nm=audio\r\n",
            "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nbroken line\r\n",
    })
    void rejectsWhatARelayCouldNotUse(String sdp) {
        assertThatThrownBy(() -> SdpParser.parse(sdp)).isInstanceOf(SdpParser.InvalidSdp.class);
    }

    @Test
    void aHostNameInTheConnectionLineIsWellFormedButNotAcceptable() {
        assertThatThrownBy(() -> SdpParser.parse(
                "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 phone.example.com\r\nm=audio 4000 RTP/AVP 0\r\n"))
                .isInstanceOfSatisfying(SdpParser.InvalidSdp.class, e -> {
                    assertThat(e.wellFormed()).isTrue();
                    assertThat(e.getMessage()).contains("host name");
                });
        assertThatThrownBy(() -> SdpParser.parse("hello"))
                .isInstanceOfSatisfying(SdpParser.InvalidSdp.class, e -> assertThat(e.wellFormed()).isFalse());
    }
}
