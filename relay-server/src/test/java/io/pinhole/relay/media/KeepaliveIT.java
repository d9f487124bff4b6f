package io.pinhole.relay.media;

import static io.pinhole.relay.support.NgRequests.req;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.config.RelayProperties;
import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keepalives from our relay on loopback: a call is held (one side stops sending, then both) and
 * the phones' sockets count what reaches them from the relay, and in what form.
 */
@Timeout(60)
class KeepaliveIT {

    private static final Duration INTERVAL = Duration.ofMillis(300);

    /** One datagram as a phone saw it. */
    private record Seen(int sourcePort, byte[] data) {
        boolean media() {
            return data.length == 172 && (data[1] & 0x7F) == 8;
        }

        int payloadType() {
            return data[1] & 0x7F;
        }

        int ssrc() {
            return ByteBuffer.wrap(data, 8, 4).getInt();
        }
    }


    /** Phone A's SDP: PCMA and telephone-event, an RTCP port of its own. */
    private static String phoneSdp(int rtpPort, int rtcpPort, String direction) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + rtpPort + " RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=rtcp:" + rtcpPort + "\r\na=" + direction + "\r\n";
    }

    /** Everything that reaches {@code peer} in the next {@code millis}. */
    private static List<Seen> listen(RtpPeer peer, long millis) throws Exception {
        List<Seen> seen = new ArrayList<>();
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            DatagramPacket p = peer.receiveOne(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (p != null) {
                seen.add(new Seen(p.getPort(), Arrays.copyOf(p.getData(), p.getLength())));
            }
        }
        return seen;
    }

    /** {@code peer} sends one packet every 20 ms for {@code millis}; returns how many. */
    private static int talk(RtpPeer peer, InetSocketAddress to, long millis) throws Exception {
        long end = System.nanoTime() + millis * 1_000_000;
        int sent = 0;
        while (System.nanoTime() < end) {
            peer.send(to);
            sent++;
            Thread.sleep(20);
        }
        return sent;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> totals(NgClient ng) throws Exception {
        Map<String, Object> s = (Map<String, Object>) ng.call(Map.of("command", "statistics")).get("statistics");
        return (Map<String, Object>) s.get("totalstatistics");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> keepalivesOf(Map<String, Object> query, String tag) {
        Map<String, Object> t = (Map<String, Object>) ((Map<String, Object>) query.get("tags")).get(tag);
        Map<String, Object> media = (Map<String, Object>) ((List<Object>) t.get("medias")).get(0);
        Map<String, Object> stream = (Map<String, Object>) ((List<Object>) media.get("streams")).get(0);
        return (Map<String, Object>) stream.get("keepalives");
    }

    @Test
    void aHeldCallGetsKeepalivesTowardsThePhoneThatHearsNothing() throws Exception {
        RelayProperties p = OurRelay.testDefaults().withKeepalive(INTERVAL);
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA); RtpPeer aRtcp = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
            String callId = "held-" + UUID.randomUUID();
            String offered = (String) ng.call(req("offer", callId, "from-tag", "a",
                    "sdp", phoneSdp(a.port(), aRtcp.port(), "sendrecv"))).get("sdp");
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp");
            InetSocketAddress aSendsTo = Sdp.media(answered, 0);
            InetSocketAddress bSendsTo = Sdp.media(offered, 0);
            // talking: both latch, each hears the other
            a.send(aSendsTo);
            b.send(bSendsTo);
            assertThat(b.receive(1, 2000)).isEqualTo(1);
            assertThat(a.receive(1, 2000)).isEqualTo(1);
            aRtcp.sendRaw(new InetSocketAddress(aSendsTo.getAddress(), aSendsTo.getPort() + 1),
                    new byte[] {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 0xA}); // A's RTCP port latches too

            // A holds B (sendonly) and plays music on hold; B sends nothing
            ng.call(req("offer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", phoneSdp(a.port(), aRtcp.port(), "sendonly")));
            ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port()).replace("a=sendrecv", "a=recvonly")));
            long held = System.nanoTime();
            List<Seen> atA = new ArrayList<>();
            List<Seen> atARtcp = new ArrayList<>();
            List<Seen> atB = new ArrayList<>();
            Thread listeners = new Thread(() -> {
                try {
                    atA.addAll(listen(a, 2000));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            listeners.start();
            Thread rtcpListener = new Thread(() -> {
                try {
                    atARtcp.addAll(listen(aRtcp, 2000));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            rtcpListener.start();
            Thread bListener = new Thread(() -> {
                try {
                    atB.addAll(listen(b, 2100));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            bListener.start();
            int music = talk(a, aSendsTo, 2000);
            listeners.join();
            rtcpListener.join();
            bListener.join();
            long heldMillis = (System.nanoTime() - held) / 1_000_000;

            // B hears A's music and nothing else; A, who hears nothing, gets keepalives on both ports
            assertThat(atB).as("B receives media: no keepalive").isNotEmpty().allMatch(Seen::media);
            long expected = heldMillis / INTERVAL.toMillis();
            assertThat(atA).as("A's RTP port, " + heldMillis + " ms held").hasSizeBetween((int) expected - 2,
                    (int) expected + 1);
            int ssrc = atA.get(0).ssrc();
            for (Seen k : atA) {
                assertThat(k.sourcePort()).as("from the port A sends to").isEqualTo(aSendsTo.getPort());
                assertThat(k.data()).as("an RTP header alone").hasSize(12);
                assertThat(k.data()[0] & 0xFF).isEqualTo(0x80);
                assertThat(k.payloadType()).as("a payload type A's call did not negotiate (8, 101)").isEqualTo(127);
                assertThat(k.ssrc()).isEqualTo(ssrc).isNotIn(0xA, 0xB);
            }
            assertThat(atARtcp).as("A's RTCP port").hasSizeBetween((int) expected - 2, (int) expected + 1);
            for (Seen k : atARtcp) {
                assertThat(k.sourcePort()).isEqualTo(aSendsTo.getPort() + 1);
                assertThat(k.data()).as("RR + SDES CNAME").hasSize(36);
                assertThat(k.data()[1] & 0xFF).isEqualTo(201);
                assertThat(k.data()[9] & 0xFF).isEqualTo(202);
                assertThat(ByteBuffer.wrap(k.data(), 4, 4).getInt()).as("the RTP keepalive's SSRC").isEqualTo(ssrc);
            }

            // now B is silent towards A and A towards B: both get keepalives, and none is media
            List<Seen> bSilent = listen(b, 1500);
            assertThat(bSilent).as("B's keepalives").hasSizeBetween(3, 6).noneMatch(Seen::media)
                    .allMatch(k -> k.sourcePort() == bSendsTo.getPort() && k.payloadType() == 127);
            // forwarded: A's and B's first packets, A's RTCP report, the music; keepalives are not in it
            long forwarded = 1 + 1 + 1 + music;
            eventually(Duration.ofSeconds(3), () -> (Long) totals(ng).get("packets") == forwarded,
                    "the forwarded packets counted");
            Thread.sleep(1200); // a statistics tick of quiet, keepalives going out
            assertThat((Long) totals(ng).get("packets")).as("keepalives are not forwarded packets")
                    .isEqualTo(forwarded);

            Map<String, Object> query = ng.call(req("query", callId));
            long toA = (Long) keepalivesOf(query, "a").get("packets");
            long toB = (Long) keepalivesOf(query, "b").get("packets");
            assertThat(toA).as("the relay counted what A received, and A's socket kept receiving")
                    .isGreaterThanOrEqualTo(atA.size() + atARtcp.size());
            assertThat(toB).isGreaterThanOrEqualTo(bSilent.size());
            eventually(Duration.ofSeconds(3), () -> (Long) totals(ng).get("keepalives") >= toA + toB,
                    "the keepalives counted");
            assertThat((Long) totals(ng).get("keepalivebytes")).isGreaterThanOrEqualTo(12 * (toA + toB));
        }
    }

    @Test
    void keepalivesDoNotKeepACallWithoutMediaAlive() throws Exception {
        RelayProperties p = OurRelay.testDefaults().withKeepalive(Duration.ofMillis(200))
                .withTimeouts(Duration.ofMillis(1200), Duration.ofSeconds(60));
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
            String callId = "timeout-" + UUID.randomUUID();
            ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port())));
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp");
            a.send(Sdp.media(answered, 0)); // A latches, then the line goes quiet (not on hold)

            assertThat(a.receive(2, 2000)).as("A gets keepalives").isEqualTo(2);
            eventually(Duration.ofSeconds(5), () -> ((Long) totals(ng).get("timeoutsessions")) == 1L,
                    "torn down by the media timeout all the same");
        }
    }

    @Test
    void nothingGoesToAnAddressKnownOnlyFromSdp() throws Exception {
        RelayProperties p = OurRelay.testDefaults().withKeepalive(INTERVAL);
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB); RtpPeer c = new RtpPeer(0xC)) {
            String callId = "sdp-only-" + UUID.randomUUID();
            ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port())));
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp");
            a.send(Sdp.media(answered, 0));
            assertThat(b.receive(1, 2000)).as("A's media reaches B's SDP address").isEqualTo(1);

            List<Seen> atB = listen(b, 1500);

            assertThat(atB).as("B never sent: no keepalive to its SDP address").isEmpty();
            assertThat(listen(a, 1500)).as("latched A gets them").hasSizeGreaterThanOrEqualTo(3);

            // an asymmetric call (media to the SDP address even after latching): nothing at all
            String other = "asymmetric-" + UUID.randomUUID();
            ng.call(req("offer", other, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", c.port()),
                    "flags", List.of("asymmetric")));
            String answer2 = (String) ng.call(req("answer", other, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port()), "flags", List.of("asymmetric"))).get("sdp");
            c.send(Sdp.media(answer2, 0));
            assertThat(listen(c, 1500)).as("asymmetric: the latch is not where media goes").isEmpty();
        }
    }

    @Test
    void intervalZeroSendsNone() throws Exception {
        RelayProperties p = OurRelay.testDefaults().withKeepalive(Duration.ZERO);
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
            String callId = "off-" + UUID.randomUUID();
            ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port())));
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp");
            a.send(Sdp.media(answered, 0));

            assertThat(listen(a, 1500)).isEmpty();
            assertThat((Long) totals(ng).get("keepalives")).isZero();
        }
    }
}
