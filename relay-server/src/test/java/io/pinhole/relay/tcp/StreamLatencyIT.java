package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import io.pinhole.relay.support.StreamClient;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A measurement more than a test: round trips of one G.711-sized packet at a time through the
 * relay, B on UDP both times, A once on UDP and once on TCP (echoing what it gets), so the
 * difference is what the TCP leg adds. Prints p50/p99; asserts only that every packet came back.
 * Loopback, one packet in flight: it measures the relay's own cost, not a network's.
 */
@Timeout(120)
class StreamLatencyIT {

    private static final int ROUNDS = 2000;
    private static final int WARM_UP = 500;

    private static Map<String, Object> req(String command, String callId, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("command", command);
        m.put("call-id", callId);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void measuresWhatATcpLegAddsPerPacket() throws Exception {
        int tcpPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(OurRelay.testDefaults().withStreams(tcpPort, 0));
             NgClient ng = new NgClient(relay.ng()); RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
            // UDP to UDP
            Map<String, Object> offer = ng.call(req("offer", "lat-udp", "from-tag", "a",
                    "sdp", Sdp.audio("127.0.0.1", a.port())));
            Map<String, Object> answer = ng.call(req("answer", "lat-udp", "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port())));
            InetSocketAddress forB = Sdp.media((String) offer.get("sdp"), 0);
            InetSocketAddress forA = Sdp.media((String) answer.get("sdp"), 0);
            long[] udp = new long[ROUNDS];
            for (int i = -WARM_UP; i < ROUNDS; i++) {
                long t0 = System.nanoTime();
                b.send(forB);
                DatagramPacket got = a.receiveOne(2000);
                assertThat(got).isNotNull();
                a.send(forA);
                assertThat(b.receiveOne(2000)).isNotNull();
                if (i >= 0) {
                    udp[i] = System.nanoTime() - t0;
                }
            }
            // A on TCP
            offer = ng.call(req("offer", "lat-tcp", "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", 9),
                    "media-transport", "tcp"));
            ng.call(req("answer", "lat-tcp", "from-tag", "a", "to-tag", "b", "sdp", Sdp.audio("127.0.0.1", b.port())));
            forB = Sdp.media((String) offer.get("sdp"), 0);
            long[] tcp = new long[ROUNDS];
            try (StreamClient ta = StreamClient.tcp(tcpPort)) {
                assertThat(ta.hello((String) offer.get("tcp-token"))).isEqualTo("OK");
                for (int i = -WARM_UP; i < ROUNDS; i++) {
                    long t0 = System.nanoTime();
                    b.send(forB);
                    assertThat(ta.receive(0, 1, 2000)).isEqualTo(1);
                    ta.sendRtp(0, 0xA);
                    assertThat(b.receiveOne(2000)).isNotNull();
                    if (i >= 0) {
                        tcp[i] = System.nanoTime() - t0;
                    }
                }
            }
            Arrays.sort(udp);
            Arrays.sort(tcp);
            System.out.printf("relay round trip (two relay passes), UDP-UDP: p50 %d us, p99 %d us;"
                            + " TCP-UDP: p50 %d us, p99 %d us; added per packet (one pass): p50 %d us%n",
                    udp[ROUNDS / 2] / 1000, udp[ROUNDS * 99 / 100] / 1000, tcp[ROUNDS / 2] / 1000,
                    tcp[ROUNDS * 99 / 100] / 1000, (tcp[ROUNDS / 2] - udp[ROUNDS / 2]) / 2000);
        }
    }
}
