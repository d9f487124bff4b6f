package io.pinhole.relay.media;

import static io.pinhole.relay.support.NgRequests.req;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.config.RelayProperties;
import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.PortsFreedOnClose;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Behaviour of our relay beyond the shared ng suite: timeouts, port accounting, options. */
@Timeout(30)
class RelayIT {


    @SuppressWarnings("unchecked")
    private static Map<String, Object> current(NgClient ng) throws Exception {
        Map<String, Object> s = (Map<String, Object>) ng.call(Map.of("command", "statistics")).get("statistics");
        return (Map<String, Object>) s.get("currentstatistics");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> totals(NgClient ng) throws Exception {
        Map<String, Object> s = (Map<String, Object>) ng.call(Map.of("command", "statistics")).get("statistics");
        return (Map<String, Object>) s.get("totalstatistics");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> calls(NgClient ng) throws Exception {
        return (List<Object>) ng.call(Map.of("command", "list", "limit", 1000)).get("calls");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpointOf(Map<String, Object> query, String tag) {
        Map<String, Object> t = (Map<String, Object>) ((Map<String, Object>) query.get("tags")).get(tag);
        Map<String, Object> media = (Map<String, Object>) ((List<Object>) t.get("medias")).get(0);
        Map<String, Object> stream = (Map<String, Object>) ((List<Object>) media.get("streams")).get(0);
        return (Map<String, Object>) stream.get("endpoint");
    }

    @Test
    void tearsDownACallWithoutMediaAfterTheTimeout() throws Exception {
        RelayProperties p = OurRelay.testDefaults().withTimeouts(Duration.ofMillis(600), Duration.ofSeconds(60));
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng()); RtpPeer a = new RtpPeer(1)) {
            String quiet = "quiet-" + UUID.randomUUID();
            String held = "held-" + UUID.randomUUID();
            ng.call(req("offer", quiet, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port())));
            ng.call(req("offer", held, "from-tag", "a", "sdp",
                    Sdp.audio("127.0.0.1", 20000).replace("a=sendrecv", "a=inactive")));
            eventually(Duration.ofSeconds(5), () -> !calls(ng).contains(quiet), "quiet call torn down");
            assertThat(calls(ng)).as("a call on hold gets the longer timeout").contains(held);
            eventually(Duration.ofSeconds(3), () -> ((Long) totals(ng).get("timeoutsessions")) == 1L,
                    "one session timed out");
        }
    }

    @Test
    void mediaKeepsACallAlive() throws Exception {
        RelayProperties p = OurRelay.testDefaults().withTimeouts(Duration.ofMillis(800), Duration.ofSeconds(60));
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng()); RtpPeer a = new RtpPeer(1)) {
            String callId = "alive-" + UUID.randomUUID();
            String offered = (String) ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port())))
                    .get("sdp");
            InetSocketAddress relayPort = Sdp.media(offered, 0);
            // B's side of the call: A's packets arrive at the port B was given, after B answered
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", 20000))).get("sdp");
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) {
                a.send(Sdp.media(answered, 0));
                Thread.sleep(50);
            }
            assertThat(calls(ng)).contains(callId);
            assertThat(relayPort.getPort()).isBetween(OurRelay.PORT_MIN, OurRelay.PORT_MAX);
        }
    }

    @Test
    void deleteGivesThePortsBack() throws Exception {
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng())) {
            String callId = "del-" + UUID.randomUUID();
            ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audioVideo("127.0.0.1", 20000, 20010)));
            eventually(Duration.ofSeconds(2), () -> ((Long) current(ng).get("portpairsinuse")) == 4L,
                    "four port pairs in use");
            assertThat(current(ng)).containsEntry("portpairsinuse", 4L).containsEntry("sessionsown", 1L);
            ng.call(req("delete", callId));
            assertThat(calls(ng)).doesNotContain(callId);
            eventually(Duration.ofSeconds(3), () -> ((Long) current(ng).get("portpairsinuse")) == 0L,
                    "the port pairs given back");
        }
    }

    @Test
    void answersRanOutOfPortsAndLeaksNothing() throws Exception {
        RelayProperties p = OurRelay.testDefaults().withPorts(OurRelay.PORT_MIN, OurRelay.PORT_MIN + 3, Duration.ZERO); // 2 pairs = one stream
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng())) {
            Map<String, Object> r = ng.call(req("offer", "two-streams", "from-tag", "a",
                    "sdp", Sdp.audioVideo("127.0.0.1", 20000, 20010)));
            assertThat(r).containsEntry("result", "error").containsEntry("error-reason", "Ran out of ports");
            assertThat(calls(ng)).isEmpty();
            assertThat(ng.call(req("offer", "one-stream", "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", 20000))))
                    .containsEntry("result", "ok");
        }
    }

    @Test
    void requiresTheSharedSecretWhenConfigured() throws Exception {
        try (OurRelay relay = new OurRelay(OurRelay.testDefaults().withSecret("s3cret"));
             NgClient ng = new NgClient(relay.ng())) {
            assertThat(ng.call(Map.of("command", "ping"))).containsEntry("result", "error")
                    .containsEntry("error-reason", "Authentication failed");
            assertThat(ng.call(Map.of("command", "ping", "secret", "wrong"))).containsEntry("result", "error");
            assertThat(ng.call(Map.of("command", "ping", "secret", "s3cret"))).containsEntry("result", "pong");
        }
    }

    @Test
    void reofferWithANewAddressKeepsPortsAndRedirectsMedia() throws Exception {
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(1); RtpPeer b1 = new RtpPeer(2); RtpPeer b2 = new RtpPeer(3)) {
            String callId = "reoffer-" + UUID.randomUUID();
            String offered = (String) ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port()),
                    "flags", List.of("asymmetric"))).get("sdp");
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b1.port()), "flags", List.of("asymmetric"))).get("sdp");
            a.send(Sdp.media(answered, 0));
            assertThat(b1.receive(1, 2000)).isEqualTo(1);
            // B re-INVITEs from a new port: offer comes from B's tag
            String reoffer = (String) ng.call(req("offer", callId, "from-tag", "b", "to-tag", "a",
                    "sdp", Sdp.audio("127.0.0.1", b2.port()), "flags", List.of("asymmetric"))).get("sdp");
            assertThat(Sdp.port(reoffer, 0)).isEqualTo(Sdp.port(answered, 0));
            assertThat(Sdp.port(offered, 0)).isNotEqualTo(Sdp.port(answered, 0));
            a.send(Sdp.media(answered, 0));
            assertThat(b2.receive(1, 2000)).as("asymmetric: media follows the new SDP address").isEqualTo(1);
        }
    }

    @Test
    void relatchesOnANewSsrcWhenConfigured() throws Exception {
        RelayProperties p = OurRelay.testDefaults().withLatching(true, true);
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA); RtpPeer roamed = new RtpPeer(0xB); RtpPeer b = new RtpPeer(0xC)) {
            String callId = "roam-" + UUID.randomUUID();
            String offered = (String) ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port())))
                    .get("sdp");
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp");
            a.send(Sdp.media(answered, 0));
            assertThat(b.receive(1, 2000)).isEqualTo(1);
            roamed.send(Sdp.media(answered, 0), 0xA); // same SSRC from elsewhere: RTP bleed, dropped
            assertThat(b.receive(1, 300)).isZero();
            roamed.send(Sdp.media(answered, 0)); // new SSRC: the phone moved
            assertThat(b.receive(1, 2000)).isEqualTo(1);
            b.send(Sdp.media(offered, 0));
            assertThat(roamed.receive(1, 2000)).as("B's media now goes to the new address").isEqualTo(1);
        }
    }

    @Test
    void usesTheSipSourceAddressWhenAsked() throws Exception {
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(1); RtpPeer b = new RtpPeer(2)) {
            String callId = "natted-" + UUID.randomUUID();
            // A's SDP carries a private address; the SIP source (received-from) is where it really is
            ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("10.77.0.2", a.port()),
                    "flags", List.of("SIP-source-address"), "received-from", List.of("IP4", "127.0.0.1")));
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp");
            assertThat(Sdp.address(answered)).isEqualTo("127.0.0.1");
            Map<String, Object> q = ng.call(req("query", callId));
            assertThat(endpointOf(q, "a")).containsEntry("address", "127.0.0.1").containsEntry("port", (long) a.port());
        }
    }

    @Test
    void demultiplexesRtcpForAPeerWithoutRtcpMux() throws Exception {
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(1); RtpPeer b = new RtpPeer(2); RtpPeer bRtcp = new RtpPeer(3)) {
            String callId = "mux-" + UUID.randomUUID();
            String muxed = Sdp.audio("127.0.0.1", a.port()) + "a=rtcp-mux\r\n";
            String offered = (String) ng.call(req("offer", callId, "from-tag", "a", "sdp", muxed,
                    "rtcp-mux", List.of("demux"))).get("sdp");
            assertThat(offered).doesNotContain("a=rtcp-mux");
            String bSdp = Sdp.audio("127.0.0.1", b.port()) + "a=rtcp:" + bRtcp.port() + "\r\n";
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b", "sdp", bSdp,
                    "rtcp-mux", List.of("accept"))).get("sdp");
            assertThat(answered).contains("a=rtcp-mux");
            InetSocketAddress towardsB = Sdp.media(answered, 0);
            byte[] rtcp = {(byte) 0x80, (byte) 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
            a.sendRaw(towardsB, rtcp); // RTCP SR on the muxed RTP port
            DatagramPacket got = bRtcp.receiveOne(2000);
            assertThat(got).as("RTCP goes to B's separate RTCP port").isNotNull();
            assertThat(got.getPort()).as("sent from the RTCP port B was given").isEqualTo(Sdp.port(offered, 0) + 1);
            a.send(towardsB);
            assertThat(b.receive(1, 2000)).isEqualTo(1);
        }
    }

    @Test
    void replacesIceCandidatesWithTheRelaysOwnWhenForced() throws Exception {
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng())) {
            String callId = "ice-" + UUID.randomUUID();
            String sdp = Sdp.audio("127.0.0.1", 20000) + "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\n"
                    + "a=candidate:1 1 UDP 2130706431 10.0.0.5 20000 typ host\r\n";
            String first = (String) ng.call(req("offer", callId, "from-tag", "a", "sdp", sdp, "ICE", "force")).get("sdp");
            int port = Sdp.port(first, 0);
            assertThat(first).doesNotContain("10.0.0.5").doesNotContain("abcd")
                    .contains("a=candidate:1 1 UDP 2130706431 127.0.0.1 " + port + " typ host")
                    .containsPattern("a=ice-pwd:[A-Za-z0-9+/]{24}\r\n");
            String again = (String) ng.call(req("offer", callId, "from-tag", "a", "sdp", sdp, "ICE", "force")).get("sdp");
            assertThat(again).as("credentials stable across re-offers").isEqualTo(first);
            assertThat(ng.call(req("offer", callId, "from-tag", "a", "sdp", sdp, "ICE", "bogus")))
                    .containsEntry("result", "error").containsEntry("error-reason", "Invalid ICE option");
        }
    }

    @Test
    void relaysOverIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        RelayProperties p = OurRelay.testDefaults().withMedia("::1", "");
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(v6, 1); RtpPeer b = new RtpPeer(v6, 2)) {
            String callId = "v6-" + UUID.randomUUID();
            String v6Sdp = "v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio %d RTP/AVP 8\r\n";
            String offered = (String) ng.call(req("offer", callId, "from-tag", "a",
                    "sdp", String.format(v6Sdp, a.port()))).get("sdp");
            assertThat(offered).contains("c=IN IP6 ::1");
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", String.format(v6Sdp, b.port()))).get("sdp");
            a.send(new InetSocketAddress(v6, Sdp.port(answered, 0)));
            b.send(new InetSocketAddress(v6, Sdp.port(offered, 0)));
            assertThat(b.receive(1, 2000)).isEqualTo(1);
            assertThat(a.receive(1, 2000)).isEqualTo(1);
        }
    }

    /**
     * The epoll sockets are not in the transport's channel group (io_uring's are, see
     * IoUringRelayIT): stopping the loops must close them all the same, so a relay started after
     * one closed with a call still up binds the very ports that call held.
     */
    @Test
    void aClosedRelayLeavesNoPortBound() throws Exception {
        PortsFreedOnClose.check(OurRelay.testDefaults());
    }
}
