package io.pinhole.proxy.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.wire.fuzz.FuzzLoop;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The proxy's SDP reader (what it learns from an INVITE's or a 200's body before it plans the
 * media path) on mutated bodies: an {@link SdpParser.InvalidSdp} or a summary, nothing else.
 */
class SdpSummaryFuzzTest {

    private static List<byte[]> seeds() {
        return List.of(
                "v=0\r\no=alice 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                        + "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n"
                        + "m=video 40002 RTP/AVP 96\r\nc=IN IP4 10.0.0.5\r\na=sendonly\r\n",
                "v=0\no=- 1 1 IN IP6 ::1\ns=-\nc=IN IP6 2001:db8::7\nt=0 0\nm=audio 0 RTP/AVP 0\n",
                "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 5004/2 RTP/SAVP 0\r\nc=IN IP4 0.0.0.0\r\n")
                .stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void readingNeverThrowsOtherThanInvalidSdp() throws Exception {
        long inputs = FuzzLoop.of("proxy-sdp", seeds(), true, SdpParser.InvalidSdp.class).atLeast(1001).seconds(3)
                .run(input -> assertThat(SdpParser.parse(new String(input, StandardCharsets.UTF_8))).isNotNull());
        assertThat(inputs).isGreaterThan(1000);
    }
}
