package io.pinhole.proxy.punch;

import io.pinhole.proxy.support.MediaProbePhone;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.proxy.support.netns.NatTopology;
import io.pinhole.proxy.support.netns.ReInviteLog;
import io.pinhole.proxy.support.netns.NsSipp;
import io.pinhole.proxy.support.netns.Shell;
import io.pinhole.testsupport.Scratch;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.pinhole.testsupport.Eventually.eventually;
import static io.pinhole.proxy.support.netns.NatTopology.ALICE_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.BOB_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.PUBLIC_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the hole punching end-to-end tests share: two SIPp phones behind the NATs of
 * {@link NatTopology}, registered and probed (so the planner knows their NATs), a relay with a STUN
 * server, and calls whose media is sent by {@code /nat/punch_phone.py}: each phone sends RTP where
 * its SIP side was last told (the INVITE's or 200's SDP, then each re-INVITE's) and counts what it
 * receives, from where, and the longest gap.
 *
 * <p>Both phones register as many deployed ones do, without {@code rport} in their Via (nor RFC 5626
 * outbound), so every request the proxy sends bob (the INVITE, the moves' re-INVITEs) and the probe's
 * OPTIONS must go to the flow the REGISTER came from, not to the Via's private address; whether
 * alice's call asks for rport is each test's choice.
 */
abstract class PunchNatSupport {

    static final String DOMAIN = "punch.example";
    static final String PASSWORD = "correct-horse";
    static final double MEDIA_SECONDS = 8.0;
    static final int PACKETS = 400;
    static final Duration BOUND = Duration.ofSeconds(2);
    static final int STUN_PORT = 23480;

    final ObjectMapper json = new ObjectMapper();
    NatTopology net;
    RelayProcess relay;
    ProxyInstance proxy;

    /** What one call did, as each phone and SIPp saw it, and its CDR. */
    record Outcome(JsonNode alice, JsonNode bob, Sipp.Result aliceSipp, Sipp.Result bobSipp, List<String> aliceReinvites,
                   List<String> bobReinvites, Map<String, Object> cdr, NatTopology.Wire wire) {
        @Override
        public String toString() {
            return "alice " + alice + "\nbob " + bob + "\nalice re-INVITEs " + aliceReinvites + ", bob re-INVITEs "
                    + bobReinvites + "\nCDR " + cdr + "\non the wire between the NATs " + wire;
        }
    }

    void setUp(NatTopology.Ports nat1, NatTopology.Ports nat2, int relayMin, int relayMax) {
        String missing = NatTopology.missingPrerequisite();
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the punching NAT test cannot run in CI: " + missing);
            }
            Assumptions.abort("punching NAT test skipped: " + missing);
        }
        net = NatTopology.create(nat1, nat2);
        net.dropUnsolicitedAtTheNats();
        net.countWireBetweenNats();
        relay = RelayProcess.startWithStun(relayMin, relayMax, PUBLIC_ADDRESS, STUN_PORT);
        proxy = ProxyInstance.start(Map.of("pinhole.sip.bind-address", PUBLIC_ADDRESS,
                "pinhole.sip.advertised-address", PUBLIC_ADDRESS, "pinhole.media.default-relay", relay.control(),
                "pinhole.keepalive.enabled", false, "pinhole.probe.delay", "1500ms", "pinhole.probe.timeout", "2s"));
        registerAndProbe(net.alice(), ALICE_ADDRESS, "alice");
        registerAndProbe(net.bob(), BOB_ADDRESS, "bob");
    }

    /** Fails in CI (env {@code CI=true}) and skips elsewhere when baresip (Debian package baresip-core) is missing. */
    static void requireBaresip() {
        if (Shell.missing("baresip")) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("baresip is not installed (Debian package baresip-core)");
            }
            Assumptions.abort("baresip is not installed");
        }
    }

    void tearDown() {
        try {
            if (proxy != null) {
                proxy.close();
            }
            if (relay != null) {
                relay.close();
            }
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    private String target() {
        return PUBLIC_ADDRESS + ":" + proxy.sipPort();
    }

    /**
     * Registers from port 5060 without {@code rport} and answers the probe's OPTIONS there until the
     * registration is probed.
     */
    private void registerAndProbe(String namespace, String address, String user) {
        proxy.addUser(DOMAIN, user, PASSWORD);
        Sipp.Result registered = NsSipp.scenario("/sipp/register.xml", target()).in(namespace, address).localPort(5060)
                .service(user).credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600)
                .withoutRport().run(Duration.ofSeconds(20));
        assertThat(registered.passed()).as(user + " registers (no rport)\n" + registered.describe()).isTrue();
        assertThat(NsSipp.viaOf(registered, address)).as(user + "'s REGISTER").isEqualTo("no rport");
        NsSipp.Running phone = NsSipp.scenario("/nat/phone-answering-options.xml", target()).in(namespace, address)
                .localPort(5060).arg("-m", "1000", "-timeout", "20s").start();
        try {
            eventually(Duration.ofSeconds(10), () -> registration(user).path("capabilities").hasNonNull("probedAt"),
                    user + " probed");
        } finally {
            phone.kill();
        }
    }

    JsonNode registration(String user) {
        var response = proxy.admin("GET", "/api/registrations?domain=" + DOMAIN + "&user=" + user, null);
        try {
            return json.readTree(response.body()).get(0);
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    /**
     * alice calls bob; both phones send media for {@link #MEDIA_SECONDS} s from their RTP ports.
     *
     * @param bobFollows   whether bob's media follows the re-INVITEs he accepts
     * @param bobReinvite  bob's answer to re-INVITEs ("200 OK", "488 Not Acceptable Here")
     * @param aliceRport   whether alice's Via asks for rport (RFC 3581); a phone that does not is
     *                     answered at her packets' source all the same, and so are the re-INVITEs sent her
     */
    Outcome call(int aliceRtp, int bobRtp, boolean bobFollows, String bobReinvite, boolean aliceRport) throws Exception {
        JdbcTemplate jdbc = proxy.bean(JdbcTemplate.class);
        int before = jdbc.queryForObject("SELECT count(*) FROM calls", Integer.class);
        NatTopology.Wire wireBefore = net.wire();
        NsSipp.Running bob = NsSipp.scenario("/nat/call-uas-punch.xml", target()).in(net.bob(), BOB_ADDRESS)
                .localPort(5060).sippMediaPort(16300).key("rtp_port", bobRtp)
                .fill("REOFFER_FILE", bobFollows ? "peer-media" : "ignored").fill("REINVITE_STATUS", bobReinvite)
                .arg("-timeout", "60s").start();
        NsSipp aliceScenario = NsSipp.scenario("/nat/call-uac-punch.xml", target()).in(net.alice(), ALICE_ADDRESS)
                .localPort(5060).sippMediaPort(16300).service("alice").credentials("alice", PASSWORD)
                .key("domain", DOMAIN).key("callee_domain", DOMAIN).key("callee", "bob").key("rtp_port", aliceRtp)
                .fill("REOFFER_FILE", "peer-media").fill("REINVITE_STATUS", "200 OK").fill("TALK_MS", 9000)
                .arg("-timeout", "60s");
        NsSipp.Running alice = (aliceRport ? aliceScenario : aliceScenario.withoutRport()).start();
        MediaProbePhone alicePhone = MediaProbePhone.start(net.alice(), ALICE_ADDRESS + ":" + aliceRtp, alice.work().resolve("peer-media.txt"), MEDIA_SECONDS);
        MediaProbePhone bobPhone = MediaProbePhone.start(net.bob(), BOB_ADDRESS + ":" + bobRtp, bob.work().resolve("peer-media.txt"), MEDIA_SECONDS);
        JsonNode aliceMedia;
        JsonNode bobMedia;
        Sipp.Result aliceSipp;
        Sipp.Result bobSipp;
        try {
            aliceMedia = alicePhone.await(json);
            bobMedia = bobPhone.await(json);
            aliceSipp = alice.await(Duration.ofSeconds(60));
            bobSipp = bob.await(Duration.ofSeconds(60));
        } finally {
            alice.kill();
            bob.kill();
            alicePhone.kill();
            bobPhone.kill();
        }
        eventually(Duration.ofSeconds(5), () -> jdbc.queryForObject("SELECT count(*) FROM calls", Integer.class) > before,
                "the CDR written");
        Map<String, Object> cdr = jdbc.queryForMap("SELECT * FROM calls ORDER BY ended_at DESC LIMIT 1");
        Outcome outcome = new Outcome(aliceMedia, bobMedia, aliceSipp, bobSipp, ReInviteLog.read(alice.work().resolve("reinvites.log")),
                ReInviteLog.read(bob.work().resolve("reinvites.log")), cdr, net.wire().since(wireBefore));
        System.out.println("punch NAT test call:\n" + outcome);
        assertThat(aliceSipp.passed()).as("alice's SIPp\n" + aliceSipp.describe()).isTrue();
        assertThat(NsSipp.viaOf(aliceSipp, ALICE_ADDRESS)).as("alice's requests").isEqualTo(aliceRport ? "rport" : "no rport");
        assertThat(bobSipp.passed()).as("bob's SIPp\n" + bobSipp.describe()).isTrue();
        return outcome;
    }

    /** Packets a phone received from {@code source} ("address:port"). */
    static int from(JsonNode phone, String source) {
        return phone.path("sources").path(source).asInt(0);
    }

    /** Each phone heard the other, without a gap longer than the bound. */
    static void assertTwoWayAudio(Outcome o) {
        for (JsonNode phone : List.of(o.alice(), o.bob())) {
            assertThat(phone.get("sent").asInt()).as(o.toString()).isEqualTo(PACKETS);
        }
        assertThat(o.alice().get("received").asInt()).as("alice hears bob\n" + o).isGreaterThanOrEqualTo(PACKETS * 85 / 100);
        assertThat(o.bob().get("received").asInt()).as("bob hears alice\n" + o).isGreaterThanOrEqualTo(PACKETS * 85 / 100);
        assertThat(o.alice().get("max_gap_ms").asInt()).as("alice's longest gap\n" + o).isBetween(0, (int) BOUND.toMillis());
        assertThat(o.bob().get("max_gap_ms").asInt()).as("bob's longest gap\n" + o).isBetween(0, (int) BOUND.toMillis());
    }
}
