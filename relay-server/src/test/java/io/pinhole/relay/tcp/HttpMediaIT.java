package io.pinhole.relay.tcp;

import static io.pinhole.relay.support.NgRequests.req;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.config.RelayProperties;
import io.pinhole.testsupport.Binaries;
import io.pinhole.relay.support.HttpMediaClient;
import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import io.pinhole.relay.support.StreamClient;
import io.pinhole.wire.stream.HttpMedia;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media over HTTP, black-box: ng offer/answer with {@code media-transport: http}, a phone's agent
 * on raw HTTP/1.1 sockets (written from the README's protocol, not from the relay's code) on one
 * side, a phone on UDP on the other, packets counted at both ends; the same through a real
 * tinyproxy; and the ways a request is refused or a connection closed.
 */
@Timeout(60)
class HttpMediaIT {

    private static final int PACKETS = 50;

    private record Leg(String callId, String token, int httpPort, InetSocketAddress relayForB) {
    }

    private static RelayProperties http(int port) {
        return OurRelay.testDefaults().withHttp(port, Duration.ofMillis(100), 64);
    }


    private static Leg call(NgClient ng, RtpPeer b) throws Exception {
        String id = "http-" + UUID.randomUUID();
        Map<String, Object> offer = ng.call(req("offer", id, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", 9),
                "media-transport", "HTTP"));
        assertThat(offer).containsEntry("result", "ok").containsKey("tcp-token").containsKey("http-port");
        ng.call(req("answer", id, "from-tag", "a", "to-tag", "b", "sdp", Sdp.audio("127.0.0.1", b.port())));
        return new Leg(id, (String) offer.get("tcp-token"), ((Long) offer.get("http-port")).intValue(),
                Sdp.media((String) offer.get("sdp"), 0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stream(NgClient ng, String callId, String tag) throws Exception {
        Map<String, Object> q = ng.call(req("query", callId));
        Map<String, Object> t = (Map<String, Object>) ((Map<String, Object>) q.get("tags")).get(tag);
        Map<String, Object> media = (Map<String, Object>) ((List<Object>) t.get("medias")).get(0);
        return (Map<String, Object>) ((List<Object>) media.get("streams")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static long count(Map<String, Object> stream, String stats) {
        return (Long) ((Map<String, Object>) stream.get(stats)).get("packets");
    }

    /**
     * B sends over UDP while A long-polls on its down connection; A sends over its up connection
     * (POST bodies, every fifth packet as the seed's cookie GET); both ends count.
     */
    private static void exchange(HttpMediaClient up, HttpMediaClient down, RtpPeer b, Leg leg) throws Exception {
        assertThat(down.poll().status()).as("the first request opens the session").isEqualTo(200);
        for (int i = 0; i < PACKETS; i++) {
            b.send(leg.relayForB());
            Thread.sleep(2);
        }
        int got = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (got < PACKETS && System.nanoTime() < deadline) {
            HttpMediaClient.Response r = down.poll();
            assertThat(r.status()).isEqualTo(200);
            for (HttpMedia.Frame f : r.frames()) {
                assertThat(f.streamId()).isZero();
                assertThat(f.packet()).hasSize(172);
                got++;
            }
        }
        assertThat(got).as("RTP from the UDP side received in poll responses").isEqualTo(PACKETS);
        for (int i = 0; i < PACKETS; i++) {
            HttpMediaClient.Response r = i % 5 == 0 ? up.getWithCookie(HttpMediaClient.one(up.rtp(0xA)))
                    : up.post(HttpMediaClient.one(up.rtp(0xA)));
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(b.receive(PACKETS, 5000)).as("RTP sent in requests received over UDP").isEqualTo(PACKETS);
    }

    @Test
    void httpPhoneAndUdpPhoneExchangeRtpBothWays() throws Exception {
        int port = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(http(port)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            assertThat(relay.server().httpPort()).isEqualTo(port);
            Leg leg = call(ng, b);
            assertThat(leg.httpPort()).isEqualTo(port);
            try (HttpMediaClient up = new HttpMediaClient(port, 0, leg.token());
                 HttpMediaClient down = new HttpMediaClient(port, 0, leg.token())) {
                exchange(up, down, b, leg);
                Map<String, Object> sideA = stream(ng, leg.callId(), "a");
                assertThat(sideA).containsEntry("media-transport", "http");
                assertThat(count(sideA, "stats")).isEqualTo(PACKETS);
                assertThat(count(sideA, "stats out")).isEqualTo(PACKETS);
            }
        }
    }

    @Test
    void httpsOnTheTlsPortNextToFrames() throws Exception {
        int tlsPort = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(OurRelay.testDefaults().withStreams(0, tlsPort));
             NgClient ng = new NgClient(relay.ng()); RtpPeer b = new RtpPeer(0xB); RtpPeer b2 = new RtpPeer(0xB2)) {
            String id = "https-" + UUID.randomUUID();
            Map<String, Object> offer = ng.call(req("offer", id, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", 9),
                    "media-transport", "http"));
            assertThat(offer).as("served on the TLS port alone").containsEntry("tls-port", (long) tlsPort)
                    .doesNotContainKey("http-port");
            ng.call(req("answer", id, "from-tag", "a", "to-tag", "b", "sdp", Sdp.audio("127.0.0.1", b.port())));
            Leg leg = new Leg(id, (String) offer.get("tcp-token"), tlsPort, Sdp.media((String) offer.get("sdp"), 0));
            try (HttpMediaClient up = HttpMediaClient.tls(tlsPort, leg.token());
                 HttpMediaClient down = HttpMediaClient.tls(tlsPort, leg.token())) {
                exchange(up, down, b, leg);
                assertThat(stream(ng, id, "a")).containsEntry("media-transport", "http");
            }
            // the same port still speaks the frames
            String id2 = "tls-" + UUID.randomUUID();
            Map<String, Object> offer2 = ng.call(req("offer", id2, "from-tag", "a", "sdp",
                    Sdp.audio("127.0.0.1", 9), "media-transport", "tls"));
            ng.call(req("answer", id2, "from-tag", "a", "to-tag", "b", "sdp", Sdp.audio("127.0.0.1", b2.port())));
            try (StreamClient a = StreamClient.tls(tlsPort)) {
                assertThat(a.hello((String) offer2.get("tcp-token"))).isEqualTo("OK");
                a.sendRtp(0, 0xA);
                assertThat(b2.receive(1, 3000)).isEqualTo(1);
            }
        }
    }

    @Test
    void worksThroughAForwardHttpProxy(@TempDir Path dir) throws Exception {
        Path tinyproxy = Binaries.require("tinyproxy");
        int proxyPort = StreamClient.freePort();
        Path conf = dir.resolve("tinyproxy.conf");
        Files.writeString(conf, "Port " + proxyPort + "\nListen 127.0.0.1\nTimeout 60\nMaxClients 20\n"
                + "Allow 127.0.0.1\nLogLevel Warning\nLogFile \"" + dir.resolve("tinyproxy.log") + "\"\n");
        Process proxy = new ProcessBuilder(tinyproxy.toString(), "-d", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        int port = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(http(port)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            eventually(Duration.ofSeconds(5), () -> {
                try (Socket s = new Socket("127.0.0.1", proxyPort)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }, "tinyproxy listens");
            Leg leg = call(ng, b);
            // tinyproxy speaks HTTP/1.0 to the relay and closes each upstream connection: the
            // session, not the connection, carries the call side
            try (HttpMediaClient up = new HttpMediaClient(port, proxyPort, leg.token());
                 HttpMediaClient down = new HttpMediaClient(port, proxyPort, leg.token())) {
                exchange(up, down, b, leg);
            }
            try (HttpMediaClient wrong = new HttpMediaClient(port, proxyPort, "AAAAAAAAAAAAAAAAAAAAAA")) {
                assertThat(wrong.poll().status()).as("a refusal passes the proxy").isEqualTo(403);
            }
        } finally {
            proxy.destroy();
            proxy.waitFor();
            Path log = dir.resolve("tinyproxy.log");
            if (Files.exists(log)) {
                System.out.println("tinyproxy log:\n" + Files.readString(log));
            }
        }
    }

    @Test
    void wrongOrMissingTokenGets403AndTheConnectionCloses() throws Exception {
        int port = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(http(port)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b);
            try (HttpMediaClient wrong = new HttpMediaClient(port, 0, "AAAAAAAAAAAAAAAAAAAAAA")) {
                HttpMediaClient.Response r = wrong.poll();
                assertThat(r.status()).isEqualTo(403);
                assertThat(r.text()).isEqualTo("unknown token");
                assertThat(r.close()).isTrue();
                assertThat(wrong.closedWithin(1000)).isTrue();
            }
            try (HttpMediaClient none = new HttpMediaClient(port, 0, leg.token())) {
                HttpMediaClient.Response r = none.raw("GET " + HttpMedia.PATH + " HTTP/1.1\r\nHost: x\r\n\r\n",
                        new byte[0]);
                assertThat(r.status()).isEqualTo(403);
                assertThat(r.text()).isEqualTo("no call token");
                assertThat(none.closedWithin(1000)).isTrue();
            }
            try (HttpMediaClient a = new HttpMediaClient(port, 0, leg.token())) {
                assertThat(a.poll().status()).as("the right token still opens its session").isEqualTo(200);
            }
        }
    }

    @Test
    void malformedOversizedAndSlowRequestsCloseTheConnectionAndTheRelayServesOn() throws Exception {
        int port = StreamClient.freePort();
        RelayProperties p = http(port).withStreamLimits(Duration.ofMillis(500), Duration.ofSeconds(30), 100, 4);
        try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng()); RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b);
            try (HttpMediaClient garbage = new HttpMediaClient(port, 0, leg.token())) {
                garbage.sendRaw(new byte[] {0, 23, (byte) 255, 1, 2, 3, '\r', '\n', '\r', '\n'});
                assertThat(garbage.readResponse().status()).isEqualTo(400);
                assertThat(garbage.closedWithin(2000)).as("not HTTP at all").isTrue();
            }
            try (HttpMediaClient badFrames = new HttpMediaClient(port, 0, leg.token())) {
                String head = "POST " + HttpMedia.PATH + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + leg.token()
                        + "\r\nContent-Length: 4\r\n\r\n";
                HttpMediaClient.Response r = badFrames.raw(head, new byte[] {0, 9, 0, 1});
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.text()).isEqualTo("malformed media: truncated frame");
                assertThat(badFrames.closedWithin(2000)).isTrue();
            }
            try (HttpMediaClient big = new HttpMediaClient(port, 0, leg.token())) {
                String head = "POST " + HttpMedia.PATH + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + leg.token()
                        + "\r\nContent-Length: 1000000\r\n\r\n";
                big.sendRaw(head.getBytes(StandardCharsets.US_ASCII));
                assertThat(big.readResponse().status()).as("refused at the header").isEqualTo(413);
                assertThat(big.closedWithin(2000)).isTrue();
            }
            try (HttpMediaClient slow = new HttpMediaClient(port, 0, leg.token())) {
                long start = System.nanoTime();
                slow.sendRaw("GET /pinhole/me".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 3; i++) {
                    Thread.sleep(200);
                    try {
                        slow.sendRaw("d".getBytes(StandardCharsets.US_ASCII)); // a byte now and then
                    } catch (IOException closed) {
                        break;
                    }
                }
                assertThat(slow.closedWithin(3000)).isTrue();
                assertThat((System.nanoTime() - start) / 1_000_000).as("slowloris closed at the deadline")
                        .isBetween(400L, 2500L);
            }
            try (HttpMediaClient longLine = new HttpMediaClient(port, 0, leg.token())) {
                assertThat(longLine.raw("GET /" + "x".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n", new byte[0])
                        .status()).as("request line over 1,024 bytes").isEqualTo(400);
                assertThat(longLine.closedWithin(2000)).isTrue();
            }
            try (HttpMediaClient wrongPath = new HttpMediaClient(port, 0, leg.token())) {
                assertThat(wrongPath.raw("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", new byte[0]).status())
                        .isEqualTo(404);
            }
            eventually(Duration.ofSeconds(2), () -> relay.server().streamConnections() == 0,
                    "no stream connection left");
            try (HttpMediaClient up = new HttpMediaClient(port, 0, leg.token());
                 HttpMediaClient down = new HttpMediaClient(port, 0, leg.token())) {
                exchange(up, down, b, leg);
            }
        }
    }

    @Test
    void pollWithoutMediaIsAnsweredEmptyAfterTheHold() throws Exception {
        int port = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(http(port)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b);
            try (HttpMediaClient a = new HttpMediaClient(port, 0, leg.token())) {
                a.poll(); // opens the session
                long start = System.nanoTime();
                HttpMediaClient.Response r = a.poll();
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEmpty();
                assertThat(r.close()).as("kept alive").isFalse();
                assertThat(ms).isBetween(90L, 1000L);
                // media arriving answers a held poll at once
                a.sendPoll();
                Thread.sleep(20);
                long sent = System.nanoTime();
                b.send(leg.relayForB());
                assertThat(a.readResponse().frames()).hasSize(1);
                assertThat((System.nanoTime() - sent) / 1_000_000).isLessThan(90L);
            }
        }
    }

    @Test
    void queueForAClientThatDoesNotPollIsBoundedDroppingTheOldest() throws Exception {
        int port = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(http(port)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b);
            try (HttpMediaClient a = new HttpMediaClient(port, 0, leg.token())) {
                a.poll();
                for (int i = 0; i < 300; i++) {
                    b.send(leg.relayForB());
                    if (i % 10 == 0) {
                        Thread.sleep(1); // no loss in the UDP socket buffers: only the queue drops
                    }
                }
                Thread.sleep(500);
                List<HttpMedia.Frame> frames = a.poll().frames();
                assertThat(frames).as("http-queue 64").hasSize(64);
                // what reached the relay (a loaded machine may lose some in the UDP socket buffers)
                long received = count(stream(ng, leg.callId(), "b"), "stats");
                int firstSeq = (frames.get(0).packet()[2] & 0xFF) << 8 | frames.get(0).packet()[3] & 0xFF;
                int lastSeq = (frames.get(63).packet()[2] & 0xFF) << 8 | frames.get(63).packet()[3] & 0xFF;
                assertThat(lastSeq).as("the newest kept").isGreaterThanOrEqualTo(299 - (int) (300 - received));
                assertThat(firstSeq).as("the oldest dropped").isGreaterThanOrEqualTo(300 - 64 - (int) (300 - received));
                assertThat(received).isGreaterThan(64);
                assertThat(relay.server().httpDroppedPackets()).isEqualTo(received - 64);
            }
        }
    }

    @Test
    void deletingTheCallEndsTheSession() throws Exception {
        int port = StreamClient.freePort();
        try (OurRelay relay = new OurRelay(http(port)); NgClient ng = new NgClient(relay.ng());
             RtpPeer b = new RtpPeer(0xB)) {
            Leg leg = call(ng, b);
            try (HttpMediaClient a = new HttpMediaClient(port, 0, leg.token())) {
                a.poll();
                a.sendPoll();
                Thread.sleep(50); // held by now
                ng.call(req("delete", leg.callId()));
                HttpMediaClient.Response ended = a.readResponse();
                assertThat(ended.status()).as("the held poll is ended: " + ended.text()).isEqualTo(410);
            }
            try (HttpMediaClient late = new HttpMediaClient(port, 0, leg.token())) {
                assertThat(late.poll().status()).as("a token dies with its call").isEqualTo(403);
            }
        }
    }
}
