package io.pinhole.proxy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.support.MediaProbePhone;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.ProxyProcess;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's "a proxy killed": proxy A (its own process) is killed with SIGKILL during a call
 * that went bob → B → A → alice with both proxies anchoring media in one relay process. The media
 * keeps flowing (the relay holds it, counted at both phones), and alice's next REGISTER, sent to
 * B as a phone with a second outbound proxy would, makes her reachable by a new call through B.
 */
class ProxyKilledIT {

    private static final String DOMAIN = "killed.example";
    private static final String PASSWORD = "correct-horse";
    private static final double MEDIA_SECONDS = 4.0;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void callsMediaOutlivesAKilledProxyAndThePhoneMovesToTheOther() throws Exception {
        int portA = FreePorts.udpAndTcp();
        int portB = FreePorts.udpAndTcp();
        String addressA = "sip:127.0.0.1:" + portA;
        String addressB = "sip:127.0.0.1:" + portB;
        try (RelayProcess relay = RelayProcess.start(52100, 52199);
             ProxyInstance b = ProxyInstance.start(Map.of("pinhole.sip.port", portB,
                     "pinhole.cluster.address", addressB, "pinhole.cluster.peers", addressA,
                     "pinhole.media.default-relay", relay.control(), "pinhole.media.policy", "always",
                     "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false))) {
            b.addUser(DOMAIN, "alice", PASSWORD);
            b.addUser(DOMAIN, "bob", PASSWORD);
            try (ProxyProcess a = ProxyProcess.start(portA, Map.of("spring.datasource.url", b.databaseUrl(),
                    "pinhole.cluster.address", addressA, "pinhole.cluster.peers", addressB,
                    "pinhole.media.default-relay", relay.control(), "pinhole.media.policy", "always",
                    "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false))) {
                BindingCache atB = b.bean(BindingCache.class);
                int alicePort = FreePorts.udpAndTcp();
                int bobPort = FreePorts.udpAndTcp();
                register("alice", a.sipTarget(), alicePort);
                register("bob", b.sipTarget(), bobPort);
                eventually(Duration.ofSeconds(1), () -> atB.lookup("alice@" + DOMAIN, Instant.now()).stream()
                        .anyMatch(binding -> addressA.equals(binding.owner())), "B knows alice is at A");

                // bob → B → A → alice, RTP both ways through the relay
                int aliceRtp = FreePorts.udpAndTcp();
                int bobRtp = FreePorts.udpAndTcp();
                Sipp.Running alice = Sipp.scenario("call-uas-reinvite-media.xml", a.sipTarget()).localPort(alicePort)
                        .key("rtp_port", aliceRtp).arg("-timeout", "60s").start();
                Sipp.Running bob = Sipp.scenario("call-uac-reinvite-media.xml", b.sipTarget()).localPort(bobPort)
                        .service("bob").credentials("bob", PASSWORD).key("domain", DOMAIN).key("callee", "alice")
                        .key("rtp_port", bobRtp).arg("-timeout", "60s").start();
                MediaProbePhone alicePhone = MediaProbePhone.start(null, "127.0.0.1:" + aliceRtp,
                        alice.work().resolve("peer-media.txt"), MEDIA_SECONDS);
                MediaProbePhone bobPhone = MediaProbePhone.start(null, "127.0.0.1:" + bobRtp,
                        bob.work().resolve("peer-media.txt"), MEDIA_SECONDS);
                JsonNode aliceMedia;
                JsonNode bobMedia;
                try {
                    eventually(Duration.ofSeconds(15), () -> Files.exists(bob.work().resolve("peer-media.txt"))
                            && Files.exists(alice.work().resolve("peer-media.txt")), "the call answered");
                    Thread.sleep(1000); // a second of media with A alive
                    a.kill();
                    assertThat(a.alive()).isFalse();
                    aliceMedia = alicePhone.await(json);
                    bobMedia = bobPhone.await(json);
                } finally {
                    alicePhone.kill();
                    bobPhone.kill();
                    alice.kill(); // the call's SIP side went with A: only its media is the point here
                    bob.kill();
                }
                System.out.println("ProxyKilledIT: alice " + aliceMedia + "\nProxyKilledIT: bob " + bobMedia);
                for (JsonNode media : List.of(aliceMedia, bobMedia)) {
                    // 4 s at 50 packets/s, A killed after about 1 s: media to the end, no gap
                    assertThat(media.get("received").asInt()).as(media.toString()).isGreaterThan(160);
                    assertThat(media.get("max_gap_ms").asInt()).as(media.toString()).isLessThan(500);
                    assertThat(media.get("sources").size()).as("only the relay sent media\n" + media).isEqualTo(1);
                    String relayPort = media.get("sources").fieldNames().next().split(":")[1];
                    assertThat(Integer.parseInt(relayPort)).isBetween(52100, 52199);
                }

                // alice's next REGISTER goes to B; a new call reaches her through B alone
                register("alice", b.sipTarget(), alicePort);
                assertThat(atB.lookup("alice@" + DOMAIN, Instant.now())).extracting(Binding::owner).containsOnlyNulls()
                        .hasSize(1);
                double forwarded = b.bean(MeterRegistry.class).get("pinhole.cluster.forwards").tag("outcome", "forwarded")
                        .counter().count();
                Sipp.Running aliceAgain = Sipp.scenario("call-uas.xml", b.sipTarget()).localPort(alicePort).start();
                Sipp.Result bobAgain = Sipp.scenario("call-uac.xml", b.sipTarget()).localPort(bobPort).service("bob")
                        .credentials("bob", PASSWORD).key("domain", DOMAIN).key("callee", "alice")
                        .key("sdp_ip", "127.0.0.1").run();
                Sipp.Result aliceAgainResult = aliceAgain.await();
                assertThat(bobAgain.passed()).as(bobAgain.describe()).isTrue();
                assertThat(aliceAgainResult.passed()).as(aliceAgainResult.describe()).isTrue();
                assertThat(b.bean(MeterRegistry.class).get("pinhole.cluster.forwards").tag("outcome", "forwarded")
                        .counter().count()).as("delivered by B itself").isEqualTo(forwarded);
            }
        }
    }

    private static void register(String user, String proxy, int port) {
        Sipp.Result registered = Sipp.scenario("register.xml", proxy).localPort(port).service(user)
                .credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
    }
}
