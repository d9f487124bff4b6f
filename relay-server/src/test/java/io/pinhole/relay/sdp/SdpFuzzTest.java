package io.pinhole.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.wire.fuzz.FuzzLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The relay's SDP parser and rewriter on mutated offers: a body is either refused with an
 * {@link SdpException} or parsed and rewritten, never anything else, in bounded time.
 */
class SdpFuzzTest {

    private static final String HEAD = "v=0\r\no=alice 2890844526 2890844526 IN IP4 10.0.0.5\r\ns=-\r\n";

    private static List<byte[]> seeds() {
        return List.of(
                HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n"
                        + "a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n",
                HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\na=rtcp:4001 IN IP4 10.0.0.5\r\na=rtcp-mux\r\n"
                        + "m=video 4002 RTP/AVP 96\r\nc=IN IP6 2001:db8::1\r\na=rtpmap:96 H264/90000\r\na=recvonly\r\n",
                "v=0\no=- 1 1 IN IP6 ::1\ns=-\nc=IN IP6 ::1\nt=0 0\nm=audio 0 RTP/AVP 8\nm=audio 5000/2 RTP/SAVP 0\n"
                        + "a=ice-ufrag:abc\na=ice-pwd:def\na=candidate:1 1 UDP 2130706431 10.0.0.5 4000 typ host\n"
                        + "a=inactive\n",
                HEAD + "c=IN IP4 0.0.0.0\r\nt=0 0\r\na=sendonly\r\nm=audio 4000 RTP/AVP 0\r\n")
                .stream().map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void parsingAndRewritingNeverThrowsNorHangs() throws Exception {
        long inputs = FuzzLoop.of("sdp", seeds(), true, SdpException.class).atLeast(1001).seconds(4).run(input -> {
            String sdp = new String(input, StandardCharsets.ISO_8859_1);
            SessionDescription parsed = SdpParser.parse(sdp);
            List<MediaTarget> targets = new ArrayList<>();
            for (int i = 0; i < parsed.media().size(); i++) {
                targets.add(new MediaTarget(30000 + 4 * i, 30001 + 4 * i, i % 2 == 0));
            }
            String rewritten = SdpRewriter.rewrite(sdp, new RewritePlan("192.0.2.1", true,
                    input.length % 2 == 0 ? IceMode.REMOVE : IceMode.FORCE, "uf", "pw", targets));
            assertThat(rewritten).isNotNull();
        });
        assertThat(inputs).isGreaterThan(1000);
    }
}
