package io.pinhole.relay.control;

import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.RelayTarget;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The ng suite against our relay, and what our relay answers beyond rtpengine 10.5. */
class OurRelayNgIT extends NgConformanceSuite {

    @Override
    protected RelayTarget start() throws Exception {
        return new OurRelay();
    }

    /** The proxy's CDR then needs no query before the delete (rtpengine 10.5's delete answers only "ok"). */
    @Test
    void deleteAnswersTheFinalCounts() throws Exception {
        try (RtpPeer a = new RtpPeer(0x3333); RtpPeer b = new RtpPeer(0x4444)) {
            String callId = newCallId();
            InetSocketAddress towardsA = Sdp.media(sdpOf(offer(callId, Sdp.audio("127.0.0.1", a.port()))), 0);
            InetSocketAddress towardsB = Sdp.media(sdpOf(answer(callId, Sdp.audio("127.0.0.1", b.port()))), 0);
            for (int i = 0; i < 7; i++) {
                a.send(towardsB);
            }
            for (int i = 0; i < 3; i++) {
                b.send(towardsA);
            }
            assertThat(b.receive(7, 3000)).isEqualTo(7);
            assertThat(a.receive(3, 3000)).isEqualTo(3);

            Map<String, Object> deleted = ng.call(Map.of("command", "delete", "call-id", callId));

            assertThat(deleted).containsEntry("result", "ok");
            assertThat(map(map(deleted.get("totals")).get("RTP")).get("packets")).isEqualTo(10L);
            assertThat(stream(deleted, "caller", 0)).containsEntry("latched", 1L);
            assertThat(ng.call(Map.of("command", "query", "call-id", callId))).containsEntry("result", "error");
        }
    }
}
