package io.pinhole.relay.tcp;

import static io.pinhole.relay.support.NgRequests.req;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.support.HttpMediaClient;
import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import io.pinhole.relay.support.StreamClient;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A measurement more than a test: round trips of one G.711-sized packet at a time through the
 * relay, B on UDP both times, A once on UDP and once on TCP (echoing what it gets), so the
 * difference is what the TCP leg adds. Prints p50/p99; asserts only that every packet came back.
 * Loopback, one packet in flight: it measures the relay's own cost, not a network's. The HTTP
 * measurement takes each direction apart (one-way times, one process, one clock) and counts the
 * bytes the HTTP agent writes and reads per packet.
 */
@Timeout(120)
class StreamLatencyIT {

    private static final int ROUNDS = 2000;
    private static final int WARM_UP = 500;


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

    private static long p(long[] sorted, int percent) {
        return sorted[sorted.length * percent / 100] / 1000;
    }

    /**
     * One-way times per direction, B on UDP, A once on UDP and once on HTTP (a held long poll on
     * one connection, POSTs on another, as the README describes), and bytes per packet on the HTTP
     * connections.
     */
    @Test
    void measuresWhatAnHttpLegAddsPerPacket() throws Exception {
        int httpPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(OurRelay.testDefaults().withHttp(httpPort, Duration.ofMillis(100), 64));
             NgClient ng = new NgClient(relay.ng()); RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
            Map<String, Object> offer = ng.call(req("offer", "lat-udp", "from-tag", "a",
                    "sdp", Sdp.audio("127.0.0.1", a.port())));
            Map<String, Object> answer = ng.call(req("answer", "lat-udp", "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port())));
            InetSocketAddress forB = Sdp.media((String) offer.get("sdp"), 0);
            InetSocketAddress forA = Sdp.media((String) answer.get("sdp"), 0);
            long[] udpDown = new long[ROUNDS];
            long[] udpUp = new long[ROUNDS];
            for (int i = -WARM_UP; i < ROUNDS; i++) {
                long t0 = System.nanoTime();
                b.send(forB);
                assertThat(a.receiveOne(2000)).isNotNull();
                long t1 = System.nanoTime();
                a.send(forA);
                assertThat(b.receiveOne(2000)).isNotNull();
                if (i >= 0) {
                    udpDown[i] = t1 - t0;
                    udpUp[i] = System.nanoTime() - t1;
                }
            }
            offer = ng.call(req("offer", "lat-http", "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", 9),
                    "media-transport", "http"));
            ng.call(req("answer", "lat-http", "from-tag", "a", "to-tag", "b", "sdp", Sdp.audio("127.0.0.1", b.port())));
            forB = Sdp.media((String) offer.get("sdp"), 0);
            String token = (String) offer.get("tcp-token");
            long[] httpDown = new long[ROUNDS];
            long[] httpUp = new long[ROUNDS];
            long upBytes = 0;
            long downBytes = 0;
            try (HttpMediaClient up = new HttpMediaClient(httpPort, 0, token);
                 HttpMediaClient down = new HttpMediaClient(httpPort, 0, token)) {
                assertThat(down.poll().status()).isEqualTo(200); // opens the session
                down.sendPoll();
                for (int i = -WARM_UP; i < ROUNDS; i++) {
                    if (i == 0) {
                        upBytes = -(up.bytesWritten() + up.bytesRead());
                        downBytes = -(down.bytesWritten() + down.bytesRead());
                    }
                    Thread.sleep(0, 200_000); // let the poll be held, as it is between packets of a call
                    long t0 = System.nanoTime();
                    b.send(forB);
                    assertThat(down.readResponse().frames()).hasSize(1);
                    long t1 = System.nanoTime();
                    down.sendPoll();
                    up.sendPost(HttpMediaClient.one(up.rtp(0xA)));
                    assertThat(b.receiveOne(2000)).isNotNull();
                    long t2 = System.nanoTime();
                    assertThat(up.readResponse().status()).isEqualTo(200);
                    if (i >= 0) {
                        httpDown[i] = t1 - t0;
                        httpUp[i] = t2 - t1;
                    }
                }
                upBytes += up.bytesWritten() + up.bytesRead();
                downBytes += down.bytesWritten() + down.bytesRead();
                assertThat(up.connections()).as("kept alive").isEqualTo(1);
                assertThat(down.connections()).as("kept alive").isEqualTo(1);
            }
            Arrays.sort(udpDown);
            Arrays.sort(udpUp);
            Arrays.sort(httpDown);
            Arrays.sort(httpUp);
            System.out.printf("one way through the relay, 172-byte RTP: relay->A UDP p50 %d us p99 %d us, HTTP (poll"
                            + " response) p50 %d us p99 %d us; A->relay UDP p50 %d us p99 %d us, HTTP (POST) p50 %d us"
                            + " p99 %d us; HTTP bytes per packet (request + response, HTTP level): upstream %d,"
                            + " downstream %d%n",
                    p(udpDown, 50), p(udpDown, 99), p(httpDown, 50), p(httpDown, 99),
                    p(udpUp, 50), p(udpUp, 99), p(httpUp, 50), p(httpUp, 99),
                    upBytes / ROUNDS, downBytes / ROUNDS);
        }
    }
}
