package io.pinhole.proxy.edge;

import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.testsupport.RawSip;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.Sipp;
import io.pinhole.proxy.support.StreamMediaClient;
import io.pinhole.proxy.support.TcpSipPhone;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, relay failover of an edge agent's call: its media goes over a TLS connection to relay
 * A with the token our 200 named. Relay A is killed: the proxy re-offers the call to relay B asking
 * for TLS again, and its re-INVITE to the agent names relay B's TLS port and a new token
 * ({@code a=pinhole-media}), as the first 200 did; the agent (here a raw client, as in
 * {@link EdgeFlowIT}) connects there with it and its media reaches the UDP phone and back through B.
 */
class EdgeRelayFailoverIT {

    /** {@link EdgeFlowIT}'s raw agent registers and calls in its domain with its password. */
    private static final String DOMAIN = "edge.example";
    private static final String PASSWORD = "correct-horse";
    private static final Pattern PINHOLE_MEDIA = Pattern.compile("(?m)^a=pinhole-media:(\\w+) (\\d+) ([A-Za-z0-9_-]+)\\r?$");
    private static final int A_MIN = 51400;
    private static final int A_MAX = 51499;
    private static final int B_MIN = 51500;
    private static final int B_MAX = 51599;

    @Test
    void edgeCallersTlsMediaMovesToTheOtherRelayWithANewToken() throws Exception {
        int tlsA = FreePorts.udpAndTcp();
        int tlsB = FreePorts.udpAndTcp();
        try (RelayProcess relayA = RelayProcess.start(A_MIN, A_MAX, "127.0.0.1", Map.of("pinhole.relay.tls-port", tlsA));
             RelayProcess relayB = RelayProcess.start(B_MIN, B_MAX, "127.0.0.1", Map.of("pinhole.relay.tls-port", tlsB));
             ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", "127.0.0.1:" + FreePorts.udpAndTcp(),
                     "pinhole.media.reload-interval", "200ms",
                     "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false))) {
            long a = proxy.addRelay("relay-a", relayA.control());
            proxy.addUser(DOMAIN, "agent", PASSWORD);
            proxy.addUser(DOMAIN, "bob", PASSWORD);
            Sipp.Running bob = udpPhone(proxy, "bob");
            try (TcpSipPhone agent = new TcpSipPhone(proxy.sipPort())) {
                assertThat(RawSip.status(EdgeFlowIT.register(agent, "agent",
                        "media=tls;udp-out=no;udp-in=no;id=" + UUID.randomUUID()))).isEqualTo(200);
                EdgeFlowIT.EdgeCall call = new EdgeFlowIT.EdgeCall(agent, "agent", "bob");
                String ok = call.invite();
                assertThat(RawSip.status(ok)).as(ok).isEqualTo(200);
                call.ack(ok);
                Matcher first = grant(ok);
                assertThat(Integer.parseInt(first.group(2))).as("relay A's TLS port").isEqualTo(tlsA);
                try (StreamMediaClient media = StreamMediaClient.connect("127.0.0.1", tlsA, true)) {
                    assertThat(media.hello(first.group(3))).isEqualTo("OK");
                    assertThat(exchangeRtp(media)).as("media through relay A").isGreaterThanOrEqualTo(10);
                }

                long b = proxy.addRelay("relay-b", relayB.control());
                long killedAt = System.currentTimeMillis();
                relayA.kill();
                String reInvite = null;
                while (reInvite == null) {
                    String message = agent.read();
                    if (message.startsWith("BYE ")) {
                        agent.send(TcpSipPhone.respond(message, "200 OK", null, "", null));
                        throw new AssertionError("the proxy hung up the edge call instead of moving it:\n" + message);
                    }
                    if (message.startsWith("INVITE ")) {
                        reInvite = message;
                    }
                }
                System.out.println("edge agent re-INVITEd " + (System.currentTimeMillis() - killedAt)
                        + " ms after the kill:\n" + reInvite);
                Matcher moved = grant(reInvite);
                assertThat(Integer.parseInt(moved.group(2))).as("relay B's TLS port").isEqualTo(tlsB);
                assertThat(moved.group(3)).as("a new token").isNotEqualTo(first.group(3));
                assertThat(reInvite).contains("c=IN IP4 127.0.0.1");
                agent.send(TcpSipPhone.respond(reInvite, "200 OK", null,
                        "Contact: <sip:agent@127.0.0.1:" + agent.localPort() + ";transport=tcp>\r\n",
                        EdgeFlowIT.EdgeCall.SDP + "a=sendrecv\r\n"));
                agent.readUntil("ACK ");
                try (StreamMediaClient media = StreamMediaClient.connect("127.0.0.1", tlsB, true)) {
                    assertThat(media.hello(moved.group(3))).as("relay B takes the new token").isEqualTo("OK");
                    int echoed = exchangeRtp(media);
                    System.out.println(echoed + " of 20 RTP packets echoed through relay B");
                    assertThat(echoed).as("media through relay B, echoed by the UDP phone").isGreaterThanOrEqualTo(10);
                }
                assertThat(RawSip.status(call.bye())).isEqualTo(200);

                Sipp.Result bobResult = bob.await();
                assertThat(bobResult.passed()).as(bobResult.describe()).isTrue();
                List<String> bobMoves = Files.readAllLines(bob.work().resolve("reinvites.log"));
                assertThat(bobMoves).hasSize(1);
                assertThat(Integer.parseInt(bobMoves.get(0).split(" ")[2])).as("the UDP phone's new port is relay B's")
                        .isBetween(B_MIN, B_MAX);
                JdbcTemplate jdbc = proxy.bean(JdbcTemplate.class);
                eventually(Duration.ofSeconds(5), () -> !jdbc.queryForList("SELECT * FROM calls").isEmpty(), "the CDR");
                Map<String, Object> cdr = jdbc.queryForList("SELECT * FROM calls").get(0);
                assertThat(cdr).as(cdr.toString()).containsEntry("outcome", "answered").containsEntry("relay_id", b)
                        .containsEntry("caller_media_transport", "tls").containsEntry("relay_failure", null);
                assertThat(((Number) cdr.get("relay_failovers")).intValue()).isEqualTo(1);
                assertThat(proxy.bean(RelayPool.class).byId(a).map(r -> r.active())).hasValue(0);
            } finally {
                bob.kill();
            }
        }
    }

    private static Matcher grant(String message) {
        Matcher grant = PINHOLE_MEDIA.matcher(message);
        assertThat(grant.find()).as(message).isTrue();
        assertThat(grant.group(1)).isEqualTo("tls");
        return grant;
    }

    /** A SIPp phone on UDP that echoes its RTP and answers re-INVITEs, noting each one's media port. */
    private static Sipp.Running udpPhone(ProxyInstance proxy, String user) {
        int port = FreePorts.udpAndTcp();
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service(user)
                .credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
        int rtp = FreePorts.udpAndTcp();
        return Sipp.scenario("call-uas-reinvite-media.xml", proxy.sipTarget()).localPort(port).key("rtp_port", rtp)
                .arg("-mp", String.valueOf(rtp), "-rtp_echo", "-timeout", "60s").start();
    }


    /** Sends 20 RTP packets as stream 0 and counts the echoes that come back over the connection. */
    private static int exchangeRtp(StreamMediaClient media) throws Exception {
        int echoed = 0;
        for (int i = 0; i < 20; i++) {
            media.send(0, StreamMediaClient.rtp(i + 1, 0x1234, (byte) 0x55));
            Thread.sleep(20);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline && echoed < 20) {
            StreamMediaClient.Frame frame = media.read();
            if (frame == null) {
                break;
            }
            if (frame.streamId() == 0 && frame.packet().length == 172 && frame.packet()[20] == 0x55) {
                echoed++;
            }
        }
        return echoed;
    }
}
