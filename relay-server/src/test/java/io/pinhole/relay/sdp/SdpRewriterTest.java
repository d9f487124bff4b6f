package io.pinhole.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table of SDP in → SDP out; each row names the behaviour it pins down. */
class SdpRewriterTest {

    private static final String HEAD = "v=0\r\no=alice 2890844526 2890844526 IN IP4 10.0.0.5\r\ns=-\r\n";

    static Stream<Arguments> rows() {
        return Stream.of(
                row("rewrites c= and m=, adds a=rtcp, keeps unknown lines byte-exact",
                        HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\nx-unknown=  odd  spacing \r\n",
                        plan("203.0.113.9", false, IceMode.REMOVE, t(30000, 30001, false)),
                        HEAD + "c=IN IP4 203.0.113.9\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\nx-unknown=  odd  spacing \r\na=rtcp:30001\r\n"),
                row("keeps LF-only line endings and uses them for added lines",
                        "v=0\no=- 1 1 IN IP4 10.0.0.5\ns=-\nc=IN IP4 10.0.0.5\nt=0 0\nm=audio 4000 RTP/AVP 8\n",
                        plan("192.0.2.1", false, IceMode.REMOVE, t(30002, 30003, false)),
                        "v=0\no=- 1 1 IN IP4 10.0.0.5\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 30002 RTP/AVP 8\na=rtcp:30003\n"),
                row("gives every m= line its own ports",
                        HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\nm=video 4002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n",
                        plan("192.0.2.1", false, IceMode.REMOVE, t(30000, 30001, false), t(30004, 30005, false)),
                        HEAD + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp:30001\r\nm=video 30004 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=rtcp:30005\r\n"),
                row("keeps the c=0.0.0.0 hold and the direction attribute",
                        HEAD + "c=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\na=sendonly\r\n",
                        plan("192.0.2.1", false, IceMode.REMOVE, t(30000, 30001, false)),
                        HEAD + "c=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=sendonly\r\na=rtcp:30001\r\n"),
                row("rewrites an existing a=rtcp with its address",
                        HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\na=rtcp:4001 IN IP4 10.0.0.5\r\na=recvonly\r\n",
                        plan("192.0.2.1", false, IceMode.REMOVE, t(30000, 30001, false)),
                        HEAD + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp:30001 IN IP4 192.0.2.1\r\na=recvonly\r\n"),
                row("keeps a=rtcp-mux when muxing and points a=rtcp at the RTP port",
                        HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\na=rtcp-mux\r\n",
                        plan("192.0.2.1", false, IceMode.REMOVE, t(30000, 30000, true)),
                        HEAD + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp-mux\r\na=rtcp:30000\r\n"),
                row("drops a=rtcp-mux when demuxing",
                        HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\na=rtcp:4000\r\na=rtcp-mux\r\n",
                        plan("192.0.2.1", false, IceMode.REMOVE, t(30000, 30001, false)),
                        HEAD + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp:30001\r\n"),
                row("adds a=rtcp-mux when offering it",
                        HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n",
                        plan("192.0.2.1", false, IceMode.REMOVE, t(30000, 30000, true)),
                        HEAD + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp:30000\r\na=rtcp-mux\r\n"),
                row("removes ICE at session and media level",
                        HEAD + "a=ice-lite\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\na=ice-ufrag:F7gI\r\na=ice-pwd:x9cml\r\n"
                                + "a=candidate:1 1 UDP 2130706431 10.0.0.5 4000 typ host\r\na=end-of-candidates\r\n",
                        plan("192.0.2.1", false, IceMode.REMOVE, t(30000, 30001, false)),
                        HEAD + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp:30001\r\n"),
                row("replaces ICE candidates with the relay's own, as an ICE-lite agent, when forced",
                        HEAD + "a=ice-options:trickle\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\na=candidate:1 1 UDP 2130706431 10.0.0.5 4000 typ host\r\n",
                        plan("192.0.2.1", false, IceMode.FORCE, t(30000, 30001, false)),
                        HEAD + "c=IN IP4 192.0.2.1\r\nt=0 0\r\na=ice-lite\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp:30001\r\na=ice-ufrag:uf\r\na=ice-pwd:pw\r\n"
                                + "a=candidate:1 1 UDP 2130706431 192.0.2.1 30000 typ host\r\na=candidate:1 2 UDP 2130706430 192.0.2.1 30001 typ host\r\n"),
                row("names ice-lite once, at session level, with rtcp-mux one candidate per stream",
                        HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\na=rtcp-mux\r\nm=video 4002 RTP/AVP 96\r\na=rtcp-mux\r\n",
                        plan("192.0.2.1", false, IceMode.FORCE, t(30000, 30000, true), t(30002, 30002, true)),
                        HEAD + "c=IN IP4 192.0.2.1\r\nt=0 0\r\na=ice-lite\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp-mux\r\na=rtcp:30000\r\n"
                                + "a=ice-ufrag:uf\r\na=ice-pwd:pw\r\na=candidate:1 1 UDP 2130706431 192.0.2.1 30000 typ host\r\n"
                                + "m=video 30002 RTP/AVP 96\r\na=rtcp-mux\r\na=rtcp:30002\r\n"
                                + "a=ice-ufrag:uf\r\na=ice-pwd:pw\r\na=candidate:1 1 UDP 2130706431 192.0.2.1 30002 typ host\r\n"),
                row("rewrites the origin only when asked",
                        HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n",
                        plan("192.0.2.1", true, IceMode.REMOVE, t(30000, 30001, false)),
                        "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp:30001\r\n"),
                row("turns an IPv6 offer into the relay's IPv4 address",
                        "v=0\r\no=- 1 1 IN IP6 2001:db8::5\r\ns=-\r\nc=IN IP6 2001:db8::5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n",
                        plan("192.0.2.1", true, IceMode.REMOVE, t(30000, 30001, false)),
                        "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp:30001\r\n"),
                row("writes IP6 for an IPv6 relay, media-level c= included",
                        "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\nc=IN IP4 10.0.0.5\r\n",
                        plan("2001:db8::1", false, IceMode.REMOVE, t(30000, 30001, false)),
                        "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\nc=IN IP6 2001:db8::1\r\na=rtcp:30001\r\n"),
                row("leaves a disabled stream (port 0) alone",
                        HEAD + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 10.0.0.5\r\na=candidate:x\r\n",
                        plan("192.0.2.1", false, IceMode.REMOVE, t(30000, 30001, false), null),
                        HEAD + "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp:30001\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 10.0.0.5\r\na=candidate:x\r\n"),
                row("regression: body without a final line terminator",
                        "v=0\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8",
                        plan("192.0.2.1", false, IceMode.REMOVE, t(30000, 30001, false)),
                        "v=0\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\na=rtcp:30001\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rewrites(String behaviour, String in, RewritePlan plan, String expected) {
        assertThat(SdpRewriter.rewrite(in, plan)).isEqualTo(expected);
    }

    private static Arguments row(String name, String in, RewritePlan plan, String out) {
        return Arguments.of(name, in, plan, out);
    }

    private static MediaTarget t(int rtp, int rtcp, boolean mux) {
        return new MediaTarget(rtp, rtcp, mux);
    }

    private static RewritePlan plan(String address, boolean origin, IceMode ice, MediaTarget... targets) {
        List<MediaTarget> list = Arrays.asList(targets);
        return new RewritePlan(address, origin, ice, "uf", "pw", list);
    }
}
