package io.pinhole.proxy.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.proxy.support.MediaProbePhone;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.proxy.support.netns.NatTopology;
import io.pinhole.proxy.support.netns.NsSipp;
import io.pinhole.proxy.support.netns.ReInviteLog;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.pinhole.proxy.support.MediaReport.firstFrom;
import static io.pinhole.proxy.support.MediaReport.lastFrom;
import static io.pinhole.proxy.support.MediaReport.packets;
import static io.pinhole.proxy.support.netns.NatTopology.ALICE_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.BOB_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.PUBLIC_ADDRESS;
import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 15 through real NATs ({@link NatTopology}: two phones behind stateful NATs with random
 * source ports that drop unsolicited inbound packets): a relay killed under a call between them. The
 * call moves to the other relay, and each phone's media must reach the other through it: the new
 * relay can only send to a phone at the NAT mapping that phone's own packets opened towards it, so
 * media arriving at both phones says the new relay latched onto both NATs' new mappings.
 *
 * <p>Both phones are as many deployed ones are: no {@code rport} in their Via (and no RFC 5626
 * outbound, no STUN), registering and calling from port 5060 behind NATs that give them another
 * port. The move's re-INVITEs reach them only if the proxy sends along the flow their packets came
 * from (the REGISTER's for bob, the INVITE's for alice), not to the Via's or Contact's 5060.
 */
// One NAT class at a time, beside the other classes (src/test/resources/junit-platform.properties):
// without CONCURRENT this class would run in the other classes' thread and hold them all up while it
// waits for the lock, until every other NAT class is done (six minutes of the suite).
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(NatTopology.LOCK)
class RelayFailoverNatIT {

    private static final String DOMAIN = "failover-nat.example";
    private static final String PASSWORD = "correct-horse";
    private static final int A_MIN = 51600;
    private static final int A_MAX = 51699;
    private static final int B_MIN = 51700;
    private static final int B_MAX = 51799;
    private static final int ALICE_RTP = 16400;
    private static final int BOB_RTP = 16402;
    /** The phones' RTP from the answer: 2 s through relay A, the move, then several seconds through B. */
    private static final double MEDIA_SECONDS = 10.0;
    private static final Duration GAP_BOUND = Duration.ofSeconds(3);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void callBetweenPhonesBehindNatsKeepsItsMediaWhenItMovesToTheOtherRelay() throws Exception {
        String missing = NatTopology.missingPrerequisite();
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the relay failover NAT test cannot run in CI: " + missing);
            }
            Assumptions.abort("relay failover NAT test skipped: " + missing);
        }
        try (NatTopology net = NatTopology.create(NatTopology.Ports.RANDOM, NatTopology.Ports.RANDOM);
             RelayProcess relayA = RelayProcess.start(A_MIN, A_MAX, PUBLIC_ADDRESS);
             RelayProcess relayB = RelayProcess.start(B_MIN, B_MAX, PUBLIC_ADDRESS);
             ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.sip.bind-address", PUBLIC_ADDRESS,
                     "pinhole.sip.advertised-address", PUBLIC_ADDRESS,
                     // nothing listens at the default relay: the relays table decides
                     "pinhole.media.default-relay", "127.0.0.1:" + FreePorts.udpAndTcp(),
                     "pinhole.media.reload-interval", "200ms", "pinhole.media.policy", "always",
                     "pinhole.media.punching.enabled", false, "pinhole.keepalive.enabled", false,
                     "pinhole.probe.delay", "1500ms", "pinhole.probe.timeout", "2s"))) {
            net.dropUnsolicitedAtTheNats();
            String target = PUBLIC_ADDRESS + ":" + proxy.sipPort();
            long a = proxy.addRelay("relay-a", relayA.control());
            registerAndProbe(proxy, target, net.alice(), ALICE_ADDRESS, "alice");
            registerAndProbe(proxy, target, net.bob(), BOB_ADDRESS, "bob");

            NsSipp.Running bob = NsSipp.scenario("/nat/call-uas-punch.xml", target).in(net.bob(), BOB_ADDRESS)
                    .localPort(5060).sippMediaPort(16300).key("rtp_port", BOB_RTP)
                    .fill("REOFFER_FILE", "peer-media").fill("REINVITE_STATUS", "200 OK")
                    .arg("-timeout", "60s").start();
            NsSipp.Running alice = NsSipp.scenario("/nat/call-uac-punch.xml", target).in(net.alice(), ALICE_ADDRESS)
                    .localPort(5060).sippMediaPort(16300).service("alice").credentials("alice", PASSWORD)
                    .key("domain", DOMAIN).key("callee_domain", DOMAIN).key("callee", "bob").key("rtp_port", ALICE_RTP)
                    .fill("REOFFER_FILE", "peer-media").fill("REINVITE_STATUS", "200 OK").fill("TALK_MS", 9000)
                    .arg("-timeout", "60s").withoutRport().start();
            MediaProbePhone alicePhone = MediaProbePhone.start(net.alice(), ALICE_ADDRESS + ":" + ALICE_RTP,
                    alice.work().resolve("peer-media.txt"), MEDIA_SECONDS);
            MediaProbePhone bobPhone = MediaProbePhone.start(net.bob(), BOB_ADDRESS + ":" + BOB_RTP,
                    bob.work().resolve("peer-media.txt"), MEDIA_SECONDS);
            try {
                eventually(Duration.ofSeconds(15), () -> Files.exists(alice.work().resolve("peer-media.txt")),
                        "the call answered");
                long b = proxy.addRelay("relay-b", relayB.control());
                Thread.sleep(2000); // media both ways through relay A and both NATs
                long killedAt = System.currentTimeMillis();
                relayA.kill();

                JsonNode aliceMedia = alicePhone.await(json);
                JsonNode bobMedia = bobPhone.await(json);
                Sipp.Result aliceSipp = alice.await(Duration.ofSeconds(60));
                Sipp.Result bobSipp = bob.await(Duration.ofSeconds(60));
                List<String> aliceReinvites = ReInviteLog.read(alice.work().resolve("reinvites.log"));
                List<String> bobReinvites = ReInviteLog.read(bob.work().resolve("reinvites.log"));
                String seen = "alice " + aliceMedia + "\nbob " + bobMedia + "\nalice re-INVITEs " + aliceReinvites
                        + "\nbob re-INVITEs " + bobReinvites;
                System.out.println("relay failover behind NATs (relay A killed at " + killedAt + "):\n" + seen);
                assertThat(aliceSipp.passed()).as("alice's SIPp\n" + aliceSipp.describe()).isTrue();
                assertThat(NsSipp.viaOf(aliceSipp, ALICE_ADDRESS)).as("alice's INVITE, ACK and BYE").isEqualTo("no rport");
                assertThat(bobSipp.passed()).as("bob's SIPp\n" + bobSipp.describe()).isTrue();

                // Both phones re-INVITEd onto relay B (its public address, a port of its range).
                for (List<String> reinvites : List.of(aliceReinvites, bobReinvites)) {
                    assertThat(reinvites).as(seen).hasSize(1);
                    String[] fields = reinvites.get(0).split(" ");
                    assertThat(fields[0]).as("relay B's address").isEqualTo(PUBLIC_ADDRESS);
                    assertThat(Integer.parseInt(fields[1])).as("relay B's port").isBetween(B_MIN, B_MAX);
                }
                // Each phone heard the other through relay A, then through relay B across its NAT.
                for (Map.Entry<String, JsonNode> phone : Map.of("alice", aliceMedia, "bob", bobMedia).entrySet()) {
                    JsonNode media = phone.getValue();
                    long gap = firstFrom(media, B_MIN, B_MAX) - lastFrom(media, A_MIN, A_MAX);
                    System.out.println(phone.getKey() + " (behind NAT): " + packets(media, A_MIN, A_MAX)
                            + " packets via A, " + packets(media, B_MIN, B_MAX) + " via B, media gap " + gap + " ms");
                    assertThat(packets(media, A_MIN, A_MAX)).as(phone.getKey() + " heard media via A\n" + seen)
                            .isGreaterThan(50);
                    assertThat(packets(media, B_MIN, B_MAX)).as(phone.getKey() + " heard media via B\n" + seen)
                            .isGreaterThan(150);
                    assertThat(gap).as(phone.getKey() + "'s gap (ms)\n" + seen).isBetween(0L, GAP_BOUND.toMillis());
                }

                JdbcTemplate jdbc = proxy.bean(JdbcTemplate.class);
                eventually(Duration.ofSeconds(5), () -> jdbc.queryForList("SELECT * FROM calls").size() == 1,
                        "the CDR written");
                Map<String, Object> cdr = jdbc.queryForMap("SELECT * FROM calls");
                assertThat(cdr).as(cdr.toString()).containsEntry("outcome", "answered").containsEntry("relay_id", b);
                assertThat(((Number) cdr.get("relay_failovers")).intValue()).as("relay_failovers").isEqualTo(1);
                assertThat(a).isNotEqualTo(b);
            } finally {
                alice.kill();
                bob.kill();
                alicePhone.kill();
                bobPhone.kill();
            }
        }
    }

    /**
     * Registers from port 5060 without {@code rport} and answers the probe's OPTIONS there until the
     * registration is probed.
     */
    private static void registerAndProbe(ProxyInstance proxy, String target, String namespace, String address,
                                         String user) throws Exception {
        proxy.addUser(DOMAIN, user, PASSWORD);
        Sipp.Result registered = NsSipp.scenario("/sipp/register.xml", target).in(namespace, address).localPort(5060)
                .service(user).credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600)
                .withoutRport().run(Duration.ofSeconds(20));
        assertThat(registered.passed()).as(user + " registers (no rport)\n" + registered.describe()).isTrue();
        assertThat(NsSipp.viaOf(registered, address)).as(user + "'s REGISTER").isEqualTo("no rport");
        NsSipp.Running phone = NsSipp.scenario("/nat/phone-answering-options.xml", target).in(namespace, address)
                .localPort(5060).arg("-m", "1000", "-timeout", "20s").start();
        ObjectMapper json = new ObjectMapper();
        try {
            eventually(Duration.ofSeconds(10), () -> {
                var response = proxy.admin("GET", "/api/registrations?domain=" + DOMAIN + "&user=" + user, null);
                return json.readTree(response.body()).get(0).path("capabilities").hasNonNull("probedAt");
            }, user + " probed");
        } finally {
            phone.kill();
        }
    }
}
