package io.pinhole.relay.tcp;

import static io.pinhole.relay.support.NgRequests.req;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.pinhole.relay.config.RelayProperties;
import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import io.pinhole.relay.support.StreamClient;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media over TCP and TLS, black-box: ng offer/answer with {@code media-transport}, a phone on a
 * real TCP or TLS connection (JDK sockets speaking the README's frame format), a phone on UDP on
 * the other side, packets counted at both ends; and the ways a connection is refused or closed.
 */
@Timeout(60)
class StreamMediaIT {

    private static final int PACKETS = 50;

    /** One call: A (the offerer) on TCP/TLS, B (the answerer) on UDP. */
    private record Leg(String callId, String token, InetSocketAddress relayForB) {
    }

    private static RelayProperties streams(int tcp, int tls) {
        return OurRelay.testDefaults().withStreams(tcp, tls);
    }


    private static Leg call(NgClient ng, RtpPeer b, String transport) throws Exception {
        String id = "tcp-" + UUID.randomUUID();
        Map<String, Object> offer = ng.call(req("offer", id, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", 9),
                "media-transport", transport));
        assertThat(offer).containsEntry("result", "ok").containsKey("tcp-token");
        Map<String, Object> answer = ng.call(req("answer", id, "from-tag", "a", "to-tag", "b",
                "sdp", Sdp.audio("127.0.0.1", b.port())));
        assertThat(answer).containsEntry("result", "ok").doesNotContainKey("tcp-token");
        return new Leg(id, (String) offer.get("tcp-token"), Sdp.media((String) offer.get("sdp"), 0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stream(NgClient ng, String callId, String tag) throws Exception {
        return stream(ng, callId, tag, 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stream(NgClient ng, String callId, String tag, int mediaIndex) throws Exception {
        Map<String, Object> q = ng.call(req("query", callId));
        Map<String, Object> t = (Map<String, Object>) ((Map<String, Object>) q.get("tags")).get(tag);
        Map<String, Object> media = (Map<String, Object>) ((List<Object>) t.get("medias")).get(mediaIndex);
        return (Map<String, Object>) ((List<Object>) media.get("streams")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static long count(Map<String, Object> stream, String stats, String key) {
        return (Long) ((Map<String, Object>) stream.get(stats)).get(key);
    }

    /** B sends over UDP, A receives over the connection; A sends over it, B receives over UDP. */
    private static void exchange(StreamClient a, RtpPeer b, Leg leg) throws Exception {
        for (int i = 0; i < PACKETS; i++) {
            b.send(leg.relayForB());
            Thread.sleep(2);
        }
        assertThat(a.receive(0, PACKETS, 5000)).as("RTP from the UDP side received over the connection")
                .isEqualTo(PACKETS);
        for (int i = 0; i < PACKETS; i++) {
            a.sendRtp(0, 0xA);
            Thread.sleep(2);
        }
        assertThat(b.receive(PACKETS, 5000)).as("RTP sent over the connection received over UDP")
                .isEqualTo(PACKETS);
    }

    @Test
    void tcpPhoneAndUdpPhoneExchangeRtpBothWays() throws Exception {
        int tcpPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(streams(tcpPort, 0)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            assertThat(relay.server().tcpPort()).isEqualTo(tcpPort);
            assertThat(relay.server().tlsPort()).as("off").isZero();
            Leg leg = call(ng, b, "tcp");
            try (StreamClient a = StreamClient.tcp(tcpPort)) {
                assertThat(a.hello(leg.token())).isEqualTo("OK");
                exchange(a, b, leg);
                Map<String, Object> sideA = stream(ng, leg.callId(), "a");
                assertThat(sideA).containsEntry("media-transport", "tcp");
                assertThat(count(sideA, "stats", "packets")).isEqualTo(PACKETS);
                assertThat(count(sideA, "stats out", "packets")).isEqualTo(PACKETS);
                assertThat(stream(ng, leg.callId(), "b")).containsEntry("media-transport", "udp");
            }
            // the connection gone, media for A falls back to UDP (its SDP address)
            eventually(Duration.ofSeconds(3), () -> "udp".equals(stream(ng, leg.callId(), "a").get("media-transport")),
                    "side a back on udp");
        }
    }

    @Test
    void tlsPhoneAndUdpPhoneExchangeRtpBothWays() throws Exception {
        int tlsPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(streams(0, tlsPort)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b, "tls");
            try (StreamClient a = StreamClient.tls(tlsPort)) {
                assertThat(a.hello(leg.token())).isEqualTo("OK");
                exchange(a, b, leg);
                assertThat(stream(ng, leg.callId(), "a")).containsEntry("media-transport", "tls");
            }
        }
    }

    @Test
    void tlsPortUsesTheConfiguredPemCertificate(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "1", "-subj", "/CN=relay.example").redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        int tlsPort = StreamClient.freePort();
        RelayProperties p = streams(0, tlsPort).withTlsCertificate(cert.toString(), key.toString());
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng()); RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b, "tls");
            try (StreamClient a = StreamClient.tls(tlsPort)) {
                assertThat(a.peerCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=relay.example");
                assertThat(a.hello(leg.token())).isEqualTo("OK");
            }
        }
        RelayProperties missing = streams(0, tlsPort).withTlsCertificate(dir.resolve("nope.pem").toString(),
                key.toString());
        assertThatIllegalArgumentException().isThrownBy(() -> new OurRelay(missing).close())
                .withMessageStartingWith("pinhole.relay.tls-certificate '");
    }

    @Test
    void answererOnTcpGetsItsOwnToken() throws Exception {
        int tcpPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(streams(tcpPort, 0)); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA)) {
            String id = "tcp-answer-" + UUID.randomUUID();
            Map<String, Object> offer = ng.call(req("offer", id, "from-tag", "a", "sdp",
                    Sdp.audio("127.0.0.1", a.port())));
            assertThat(offer).doesNotContainKey("tcp-token");
            Map<String, Object> answer = ng.call(req("answer", id, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", 9), "media-transport", "TCP"));
            assertThat(answer).containsEntry("tcp-port", (long) tcpPort).doesNotContainKey("tls-port");
            InetSocketAddress relayForA = Sdp.media((String) answer.get("sdp"), 0);
            try (StreamClient b = StreamClient.tcp(tcpPort)) {
                assertThat(b.hello((String) answer.get("tcp-token"))).isEqualTo("OK");
                for (int i = 0; i < PACKETS; i++) {
                    a.send(relayForA);
                    Thread.sleep(2);
                }
                assertThat(b.receive(0, PACKETS, 5000)).isEqualTo(PACKETS);
                for (int i = 0; i < PACKETS; i++) {
                    b.sendRtp(0, 0xB);
                }
                assertThat(a.receive(PACKETS, 5000)).isEqualTo(PACKETS);
            }
        }
    }

    /** The seed's case: the firewall lets UDP out but not in, so A sends over UDP and receives over TCP. */
    @Test
    void phoneSendsOverUdpAndReceivesOverTcp() throws Exception {
        int tcpPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(streams(tcpPort, 0)); NgClient ng = new NgClient(relay.ng());
             RtpPeer aUdp = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
            String id = "udp-up-" + UUID.randomUUID();
            Map<String, Object> offer = ng.call(req("offer", id, "from-tag", "a",
                    "sdp", Sdp.audio("127.0.0.1", aUdp.port()), "media-transport", "tcp"));
            Map<String, Object> answer = ng.call(req("answer", id, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port())));
            InetSocketAddress forA = Sdp.media((String) answer.get("sdp"), 0);
            InetSocketAddress forB = Sdp.media((String) offer.get("sdp"), 0);
            try (StreamClient aTcp = StreamClient.tcp(tcpPort)) {
                assertThat(aTcp.hello((String) offer.get("tcp-token"))).isEqualTo("OK");
                for (int i = 0; i < PACKETS; i++) {
                    aUdp.send(forA); // latches A's UDP source, too
                    Thread.sleep(2);
                }
                assertThat(b.receive(PACKETS, 5000)).as("A's UDP upstream reaches B").isEqualTo(PACKETS);
                for (int i = 0; i < PACKETS; i++) {
                    b.send(forB);
                    Thread.sleep(2);
                }
                assertThat(aTcp.receive(0, PACKETS, 5000)).as("downstream to A goes over its connection")
                        .isEqualTo(PACKETS);
                assertThat(aUdp.receive(1, 300)).as("and not to its latched UDP address").isZero();
            }
        }
    }

    @Test
    void aStreamAddedByAReOfferIsCarriedOverTheBoundConnection() throws Exception {
        int tcpPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(streams(tcpPort, 0)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB); RtpPeer bVideo = new RtpPeer(0xBB); RtpPeer aVideoUdp = new RtpPeer(0xAA)) {
            Leg leg = call(ng, b, "tcp");
            try (StreamClient a = StreamClient.tcp(tcpPort)) {
                assertThat(a.hello(leg.token())).isEqualTo("OK");
                Map<String, Object> reOffer = ng.call(req("offer", leg.callId(), "from-tag", "a",
                        "sdp", Sdp.audioVideo("127.0.0.1", 9, aVideoUdp.port()), "media-transport", "tcp"));
                assertThat(reOffer).containsEntry("tcp-token", leg.token());
                ng.call(req("answer", leg.callId(), "from-tag", "a", "to-tag", "b",
                        "sdp", Sdp.audioVideo("127.0.0.1", b.port(), bVideo.port())));
                InetSocketAddress videoForB = Sdp.media((String) reOffer.get("sdp"), 1);
                // at once after the answer, as a phone does: the first packets must find the new stream carried
                for (int i = 0; i < 10; i++) {
                    bVideo.send(videoForB);
                    Thread.sleep(2);
                }
                int overConnection = a.receive(2, 10, 3000);
                int overUdp = aVideoUdp.receive(10, 300);
                assertThat(overConnection).as("video (m= line 1) arrives on stream 2 (%d went to A's SDP address over"
                        + " UDP); B's side at the relay: %s", overUdp, stream(ng, leg.callId(), "b", 1)).isEqualTo(10);
                assertThat(overUdp).as("none of it to A's SDP address over UDP").isZero();
                Map<String, Object> aSide = stream(ng, leg.callId(), "a", 1);
                assertThat(aSide).containsEntry("media-transport", "tcp");
                for (int i = 0; i < 10; i++) {
                    a.sendRtp(2, 0xAA);
                }
                assertThat(bVideo.receive(10, 3000)).isEqualTo(10);
            }
        }
    }

    @Test
    void relayWithoutTheTransportAnswersAnNgError() throws Exception {
        try (OurRelay relay = new OurRelay(streams(0, 0)); NgClient ng = new NgClient(relay.ng())) {
            assertThat(ng.call(req("offer", "no-tcp", "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", 9),
                    "media-transport", "tcp")))
                    .containsEntry("result", "error")
                    .containsEntry("error-reason", "Media transport tcp is not served by this relay");
            assertThat(ng.call(req("offer", "bad-tcp", "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", 9),
                    "media-transport", "sctp")))
                    .containsEntry("error-reason", "Invalid media-transport 'sctp' (udp, tcp, tls or http)");
            // refused before anything was allocated
            assertThat(ng.call(Map.of("command", "list"))).containsEntry("calls", List.of());
        }
    }

    @Test
    void wrongOrMissingTokenIsRefusedAtOnce() throws Exception {
        int tcpPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(streams(tcpPort, 0)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b, "tcp");
            try (StreamClient wrong = StreamClient.tcp(tcpPort)) {
                assertThat(wrong.hello("AAAAAAAAAAAAAAAAAAAAAA")).isEqualTo("ERR unknown token");
                assertThat(wrong.closedWithin(1000)).isTrue();
            }
            try (StreamClient malformed = StreamClient.tcp(tcpPort)) {
                assertThat(malformed.hello("not a token!")).isEqualTo("ERR malformed hello");
                assertThat(malformed.closedWithin(1000)).isTrue();
            }
            try (StreamClient noHello = StreamClient.tcp(tcpPort)) {
                noHello.sendRtp(0, 1);
                assertThat(noHello.read(1000).text()).isEqualTo("ERR media before hello");
                assertThat(noHello.closedWithin(1000)).isTrue();
            }
            // the right token still works after all that
            try (StreamClient a = StreamClient.tcp(tcpPort)) {
                assertThat(a.hello(leg.token())).isEqualTo("OK");
            }
        }
    }

    @Test
    void malformedFramingAndOversizedFramesCloseTheConnection() throws Exception {
        int tcpPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(streams(tcpPort, 0)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b, "tcp");
            try (StreamClient empty = StreamClient.tcp(tcpPort)) {
                assertThat(empty.hello(leg.token())).isEqualTo("OK");
                empty.sendRaw(new byte[] {0, 0});
                assertThat(empty.closedWithin(2000)).as("a zero-length frame closes").isTrue();
            }
            try (StreamClient big = StreamClient.tcp(tcpPort)) {
                assertThat(big.hello(leg.token())).isEqualTo("OK");
                big.sendRaw(new byte[] {(byte) 0xEA, 0x60, 0}); // 60000 bytes announced, max is 2049
                assertThat(big.closedWithin(2000)).as("an oversized frame closes at its header").isTrue();
            }
            try (StreamClient garbage = StreamClient.tcp(tcpPort)) {
                garbage.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                assertThat(garbage.closedWithin(2000)).as("not our framing at all").isTrue();
            }
            eventually(Duration.ofSeconds(2), () -> relay.server().streamConnections() == 0,
                    "no stream connection left");
        }
    }

    @Test
    void slowlorisConnectionIsClosedAfterTheHelloTimeout() throws Exception {
        int tcpPort = StreamClient.freePort();
        int tlsPort = StreamClient.freePort();
        RelayProperties p = streams(tcpPort, tlsPort)
                .withStreamLimits(Duration.ofMillis(500), Duration.ofSeconds(30), 100, 4);
        try (OurRelay relay = new OurRelay(p)) {
            try (StreamClient silent = StreamClient.tcp(tcpPort);
                 Socket rawTls = new Socket("127.0.0.1", tlsPort)) {
                long start = System.nanoTime();
                silent.sendRaw(new byte[] {0, 10, (byte) 255}); // half a hello, then nothing
                assertThat(silent.closedWithin(3000)).isTrue();
                assertThat((System.nanoTime() - start) / 1_000_000).isBetween(400L, 2500L);
                // a TLS connection that never handshakes goes too
                rawTls.setSoTimeout(3000);
                assertThat(rawTls.getInputStream().read()).isEqualTo(-1);
            }
            eventually(Duration.ofSeconds(2), () -> relay.server().streamConnections() == 0,
                    "no stream connection left");
        }
    }

    @Test
    void idleBoundConnectionIsClosedAndHeartbeatsKeepItOpen() throws Exception {
        int tcpPort = StreamClient.freePort();
        RelayProperties p = streams(tcpPort, 0)
                .withStreamLimits(Duration.ofSeconds(2), Duration.ofMillis(600), 100, 4);
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng()); RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b, "tcp");
            try (StreamClient beating = StreamClient.tcp(tcpPort); StreamClient idle = StreamClient.tcp(tcpPort)) {
                assertThat(beating.hello(leg.token())).isEqualTo("OK");
                assertThat(idle.hello(leg.token())).isEqualTo("OK");
                for (int i = 0; i < 8; i++) {
                    beating.send(StreamClient.CONTROL, new byte[0]);
                    StreamClient.Frame pong = beating.read(1000);
                    assertThat(pong.stream()).isEqualTo(StreamClient.CONTROL);
                    assertThat(pong.payload()).isEmpty();
                    Thread.sleep(200);
                }
                assertThat(idle.closedWithin(100)).as("1.6 s without a frame: closed").isTrue();
                assertThat(beating.closedWithin(100)).isFalse();
            }
        }
    }

    @Test
    void connectionCapsPerCallAndOverall() throws Exception {
        int tcpPort = StreamClient.freePort();
        RelayProperties p = streams(tcpPort, 0).withStreamLimits(Duration.ofSeconds(2), Duration.ofSeconds(30), 3, 2);
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng()); RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b, "tcp");
            try (StreamClient one = StreamClient.tcp(tcpPort); StreamClient two = StreamClient.tcp(tcpPort);
                 StreamClient three = StreamClient.tcp(tcpPort)) {
                assertThat(one.hello(leg.token())).isEqualTo("OK");
                assertThat(two.hello(leg.token())).isEqualTo("OK");
                assertThat(three.hello(leg.token()))
                        .isEqualTo("ERR call has 2 connections already (tcp-connections-per-call)");
                eventually(Duration.ofSeconds(2), () -> relay.server().streamConnections() == 2,
                        "two stream connections");
                try (StreamClient four = StreamClient.tcp(tcpPort); StreamClient five = StreamClient.tcp(tcpPort)) {
                    assertThat(five.closedWithin(2000)).as("over tcp-max-connections: closed at once").isTrue();
                }
                // the newest connection carries the downstream media
                for (int i = 0; i < 10; i++) {
                    b.send(leg.relayForB());
                }
                assertThat(two.receive(0, 10, 3000)).isEqualTo(10);
            }
        }
    }

    @Test
    void deletingTheCallClosesItsConnections() throws Exception {
        int tcpPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(streams(tcpPort, 0)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b, "tcp");
            try (StreamClient a = StreamClient.tcp(tcpPort)) {
                assertThat(a.hello(leg.token())).isEqualTo("OK");
                ng.call(req("delete", leg.callId()));
                assertThat(a.closedWithin(2000)).isTrue();
            }
            try (StreamClient late = StreamClient.tcp(tcpPort)) {
                assertThat(late.hello(leg.token())).as("a token dies with its call").isEqualTo("ERR unknown token");
            }
        }
    }

    @Test
    void aPhoneThatStopsReadingCostsBoundedMemoryAndMediaIsDropped() throws Exception {
        int tcpPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(streams(tcpPort, 0)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b, "tcp");
            try (StreamClient a = StreamClient.tcpSmallReceiveBuffer(tcpPort, 4096)) {
                assertThat(a.hello(leg.token())).isEqualTo("OK");
                int sent = 3000; // 516 KB of RTP, never read by A
                for (int i = 0; i < sent; i++) {
                    b.send(leg.relayForB());
                    if (i % 20 == 0) {
                        Thread.sleep(1);
                    }
                }
                Thread.sleep(300); // let the relay's loop finish what its socket holds
                // UDP may lose a few on the way in; what counts is what the relay received
                long received = count(stream(ng, leg.callId(), "b"), "stats", "packets");
                long queued = count(stream(ng, leg.callId(), "a"), "stats out", "bytes");
                long dropped = count(stream(ng, leg.callId(), "b"), "stats", "errors");
                System.out.printf("phone stopped reading: %d sent, %d received by the relay, %d bytes forwarded"
                        + " towards the phone, %d packets dropped%n", sent, received, queued, dropped);
                assertThat(received).isGreaterThan(sent / 4);
                // what went towards A is bounded by the socket buffers and the high-water mark, not by what B sent
                assertThat(queued).as("bytes queued towards the phone that stopped reading").isLessThan(100_000);
                assertThat(dropped).as("packets dropped instead of queued").isGreaterThan(received * 3 / 4);
                assertThat(relay.server().streamConnections()).as("the connection itself stays").isEqualTo(1);
                // once A reads again, fresh media flows
                while (a.read(200) != null) {
                    // drain what waited
                }
                for (int i = 0; i < 10; i++) {
                    b.send(leg.relayForB());
                    Thread.sleep(5);
                }
                assertThat(a.receive(0, 10, 3000)).isEqualTo(10);
            }
        }
    }
}
