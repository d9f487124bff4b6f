package io.pinhole.proxy.call;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import io.pinhole.proxy.support.KamailioProcess;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RedirectProcess;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.proxy.support.RtpengineProcess;
import io.pinhole.proxy.support.TestDatabase;
import io.pinhole.proxy.support.netns.NatTopology;
import io.pinhole.proxy.support.netns.NsSipp;
import io.pinhole.proxy.support.netns.RtpProbe;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.pinhole.testsupport.Eventually.eventually;
import static io.pinhole.proxy.support.netns.NatTopology.ALICE_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.BOB_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.PUBLIC_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Interop across domains with a real Kamailio: a.example is served by Pinhole (proxy and our
 * relay), b.example by Kamailio 5.6 (usrloc in memory, simple digest auth, nathelper and
 * rtpengine as an admin sets them up for phones behind NAT; {@code /kamailio/kamailio.cfg}).
 * alice@a.example is a SIPp phone behind nat1 registered at Pinhole, bob@b.example one behind
 * nat2 registered at Kamailio; neither phone puts {@code rport} in its Via. Pinhole finds
 * b.example through the redirect server (a {@code routes} row naming Kamailio's address);
 * Kamailio sends a.example to Pinhole (static in its configuration).
 *
 * <p>Calls both ways connect and RTP crosses both NATs both ways: alice's media goes through
 * our relay, bob's through rtpengine, each phone's RTP probe counting what it hears.
 *
 * <p>Needs root, iproute2, iptables, python3, sip-tester, kamailio and rtpengine: fails in CI
 * (env {@code CI=true}) without them, is skipped elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(NatTopology.LOCK)
class KamailioInterDomainIT {

    private static final String PASSWORD = "correct-horse";
    private static final String DOMAIN_A = "a.example";
    private static final String DOMAIN_B = "b.example";
    private static final int SIP_PORT = 5060;
    private static final int ALICE_RTP = 40000;
    private static final int BOB_RTP = 40002;
    private static final int RELAY_MIN = 48000;
    private static final int RELAY_MAX = 48499;
    private static final int RTPENGINE_MIN = 48500;
    private static final int RTPENGINE_MAX = 48999;
    private static final double MEDIA_SECONDS = 3.0;
    private static final Duration SIPP_LIMIT = Duration.ofSeconds(30);

    private final List<AutoCloseable> started = new ArrayList<>();
    private NatTopology net;
    private RelayProcess relay;
    private RtpengineProcess rtpengine;
    private ProxyInstance pinhole;
    private KamailioProcess kamailio;

    @BeforeAll
    void start() {
        String missing = NatTopology.missingPrerequisite();
        if (missing == null) {
            missing = KamailioProcess.missingPrerequisite();
        }
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the Kamailio interop test cannot run in CI: " + missing);
            }
            Assumptions.abort("Kamailio interop test skipped: " + missing);
        }
        try {
            net = started(NatTopology.create());
            net.verify();
            relay = started(RelayProcess.start(RELAY_MIN, RELAY_MAX, PUBLIC_ADDRESS));
            rtpengine = started(RtpengineProcess.startOn(PUBLIC_ADDRESS, RTPENGINE_MIN, RTPENGINE_MAX));
            String database = TestDatabase.freshDatabaseUrl();
            int redirectPort = FreePorts.udpAndTcp();
            Map<String, Object> properties = new HashMap<>(Map.of(
                    "spring.datasource.url", database,
                    "pinhole.sip.bind-address", PUBLIC_ADDRESS,
                    "pinhole.sip.advertised-address", PUBLIC_ADDRESS,
                    "pinhole.directory.domains", DOMAIN_A,
                    "pinhole.media.default-relay", relay.control(),
                    "pinhole.routing.redirect-servers", PUBLIC_ADDRESS + ":" + redirectPort,
                    // the SIPp phones take exactly one call each: no NAT pings, no registration probes
                    "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false));
            pinhole = started(ProxyInstance.start(properties));
            started(RedirectProcess.start(database, redirectPort, PUBLIC_ADDRESS));
            kamailio = started(KamailioProcess.start("/kamailio/kamailio.cfg", PUBLIC_ADDRESS, FreePorts.udpAndTcp(),
                    Map.of("DOMAIN", DOMAIN_B, "PEER_DOMAIN", DOMAIN_A,
                            "PEER_PROXY", PUBLIC_ADDRESS + ":" + pinhole.sipPort(),
                            "RTPENGINE", rtpengine.control(), "PASSWORD", PASSWORD)));
            pinhole.bean(JdbcTemplate.class).update(
                    "INSERT INTO routes (match_domain, target_uri) VALUES (?, ?)", DOMAIN_B, "sip:" + kamailio.address());
            pinhole.addUser(DOMAIN_A, "alice", PASSWORD);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    private <T extends AutoCloseable> T started(T part) {
        started.add(part);
        return part;
    }

    @AfterAll
    void stop() {
        RuntimeException failure = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException("stopping the interop set-up", e) : failure;
            }
        }
        started.clear();
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    void callFromPinholesDomainReachesAPhoneAtKamailioWithMediaBothWays() {
        Instant since = Instant.now();
        registerBoth();

        Call call = call(new Phone(net.alice(), ALICE_ADDRESS, ALICE_RTP, pinhole.sipPort(), "alice", DOMAIN_A),
                new Phone(net.bob(), BOB_ADDRESS, BOB_RTP, kamailio.port(), "bob", DOMAIN_B));

        assertConnectedWithMedia(call, call.callerSends(), call.calleeSends());
        assertThat(kamailio.output()).as("the INVITE reached Kamailio through the redirect server's route")
                .contains("request INVITE sip:bob@");
        assertPinholeRecorded("alice@" + DOMAIN_A, "bob@" + DOMAIN_B, since);
    }

    /**
     * bob answers with reliable early media (RFC 3262): Pinhole's PRACK must follow the 183's
     * Record-Route through Kamailio (bob's NAT lets nothing else in), and media flows after the 200.
     */
    @Test
    void reliableEarlyAnswerFromKamailiosPhoneIsPrackedThroughKamailio() {
        Instant since = Instant.now();
        registerBoth();

        Call call = call(new Phone(net.alice(), ALICE_ADDRESS, ALICE_RTP, pinhole.sipPort(), "alice", DOMAIN_A),
                new Phone(net.bob(), BOB_ADDRESS, BOB_RTP, kamailio.port(), "bob", DOMAIN_B),
                "/kamailio/phone-uas-100rel-media.xml");

        assertConnectedWithMedia(call, call.callerSends(), call.calleeSends());
        assertThat(call.calleeSipp().messages()).as("the PRACK came through Kamailio, by the 183's route set")
                .containsPattern("PRACK sip:[^\\n]*\\n(?:[^\\r\\n]+\\r?\\n)*?Via: SIP/2.0/UDP "
                        + Pattern.quote(kamailio.address()));
        assertThat(call.callerSipp().messages()).as("alice heard the early answer, on our relay")
                .contains("SIP/2.0 183");
        assertPinholeRecorded("alice@" + DOMAIN_A, "bob@" + DOMAIN_B, since);
    }

    /** bob, at Kamailio, hangs up: his BYE crosses Kamailio to Pinhole, which ends alice's side. */
    @Test
    void kamailiosPhoneHangsUpAndTheByeReachesPinholesCaller() {
        Instant since = Instant.now();
        registerBoth();

        Call call = call(new Phone(net.alice(), ALICE_ADDRESS, ALICE_RTP, pinhole.sipPort(), "alice", DOMAIN_A),
                new Phone(net.bob(), BOB_ADDRESS, BOB_RTP, kamailio.port(), "bob", DOMAIN_B),
                "/kamailio/phone-uac-media-hung-up.xml", "/kamailio/phone-uas-media-hangs-up.xml");

        assertConnectedWithMedia(call, call.callerSends(), call.calleeSends());
        assertPinholeRecorded("alice@" + DOMAIN_A, "bob@" + DOMAIN_B, since);
    }

    /**
     * alice, at Pinhole, answers bob's call and hangs up: Pinhole's BYE on its leg towards
     * Kamailio must follow the route set of the INVITE's Record-Route (bob's NAT admits only
     * Kamailio).
     */
    @Test
    void pinholesPhoneHangsUpAndPinholesByeFollowsKamailiosRecordRoute() {
        Instant since = Instant.now();
        registerBoth();

        Call call = call(new Phone(net.bob(), BOB_ADDRESS, BOB_RTP, kamailio.port(), "bob", DOMAIN_B),
                new Phone(net.alice(), ALICE_ADDRESS, ALICE_RTP, pinhole.sipPort(), "alice", DOMAIN_A),
                "/kamailio/phone-uac-media-hung-up.xml", "/kamailio/phone-uas-media-hangs-up.xml");

        assertConnectedWithMedia(call, call.calleeSends(), call.callerSends());
        assertThat(call.callerSipp().messages()).as("Pinhole's BYE came through Kamailio")
                .containsPattern("BYE sip:[^\\n]*\\n(?:[^\\r\\n]+\\r?\\n)*?Via: SIP/2.0/UDP "
                        + Pattern.quote(kamailio.address()));
        assertPinholeRecorded("bob@" + DOMAIN_B, "alice@" + DOMAIN_A, since);
    }

    @Test
    void callFromKamailiosDomainReachesAPhoneAtPinholeWithMediaBothWays() {
        Instant since = Instant.now();
        registerBoth();

        Call call = call(new Phone(net.bob(), BOB_ADDRESS, BOB_RTP, kamailio.port(), "bob", DOMAIN_B),
                new Phone(net.alice(), ALICE_ADDRESS, ALICE_RTP, pinhole.sipPort(), "alice", DOMAIN_A));

        assertConnectedWithMedia(call, call.calleeSends(), call.callerSends());
        assertPinholeRecorded("bob@" + DOMAIN_B, "alice@" + DOMAIN_A, since);
    }

    /** A phone behind one of the NATs, registered at the proxy of its domain (on {@code proxyPort}). */
    private record Phone(String namespace, String address, int rtpPort, int proxyPort, String user, String domain) {
        String proxy() {
            return PUBLIC_ADDRESS + ":" + proxyPort;
        }
    }

    private record Call(NsSipp.MediaAddress callerSends, NsSipp.MediaAddress calleeSends, RtpProbe.Result caller,
                        RtpProbe.Result callee, Sipp.Result callerSipp, Sipp.Result calleeSipp) {
        String media() {
            return "caller " + callerSends + " " + caller.raw() + ", callee " + calleeSends + " " + callee.raw();
        }
    }

    /** Both phones register again right before a call: their NAT mappings are then fresh. */
    private void registerBoth() {
        register(new Phone(net.alice(), ALICE_ADDRESS, ALICE_RTP, pinhole.sipPort(), "alice", DOMAIN_A));
        register(new Phone(net.bob(), BOB_ADDRESS, BOB_RTP, kamailio.port(), "bob", DOMAIN_B));
    }

    private void register(Phone phone) {
        Sipp.Result registered = NsSipp.scenario("/sipp/register.xml", phone.proxy()).in(phone.namespace(), phone.address())
                .localPort(SIP_PORT).service(phone.user()).credentials(phone.user(), PASSWORD)
                .key("domain", phone.domain()).key("expires", 600).arg("-recv_timeout", "5000")
                .withoutRport().run(SIPP_LIMIT);
        assertThat(registered.passed()).as(phone.user() + " registers at " + phone.proxy() + " through its NAT\n"
                + registered.describe() + kamailioLog()).isTrue();
    }

    private Call call(Phone caller, Phone callee) {
        return call(caller, callee, "/kamailio/phone-uac-media.xml", "/kamailio/phone-uas-media.xml");
    }

    private Call call(Phone caller, Phone callee, String calleeScenario) {
        return call(caller, callee, "/kamailio/phone-uac-media.xml", calleeScenario);
    }

    /** Both scenarios get {@code HOLD_MS} (whichever hangs up holds the call that long). */
    private Call call(Phone caller, Phone callee, String callerScenario, String calleeScenario) {
        NsSipp.Running answering = NsSipp.scenario(calleeScenario, callee.proxy())
                .in(callee.namespace(), callee.address()).localPort(SIP_PORT).key("rtp_port", callee.rtpPort())
                .fill("HOLD_MS", 8000).start();
        NsSipp.Running calling = NsSipp.scenario(callerScenario, caller.proxy())
                .in(caller.namespace(), caller.address()).localPort(SIP_PORT)
                .service(caller.user()).credentials(caller.user(), PASSWORD).key("domain", caller.domain())
                .key("callee", callee.user()).key("callee_domain", callee.domain()).key("rtp_port", caller.rtpPort())
                .fill("HOLD_MS", 8000).withoutRport().start();
        try {
            NsSipp.MediaAddress calleeSends = answering.awaitPeerMedia(Duration.ofSeconds(15));
            NsSipp.MediaAddress callerSends = calling.awaitPeerMedia(Duration.ofSeconds(15));
            long at = System.currentTimeMillis() + 1000;
            RtpProbe callerProbe = RtpProbe.start(caller.namespace(), caller.address() + ":" + caller.rtpPort(),
                    callerSends.toString(), MEDIA_SECONDS, at, false);
            RtpProbe calleeProbe = RtpProbe.start(callee.namespace(), callee.address() + ":" + callee.rtpPort(),
                    calleeSends.toString(), MEDIA_SECONDS, at, false);
            RtpProbe.Result callerMedia = callerProbe.await(15_000);
            RtpProbe.Result calleeMedia = calleeProbe.await(15_000);
            Sipp.Result callerSipp = calling.await(SIPP_LIMIT);
            Sipp.Result calleeSipp = answering.await(SIPP_LIMIT);
            Call call = new Call(callerSends, calleeSends, callerMedia, calleeMedia, callerSipp, calleeSipp);
            System.out.printf("Kamailio interop %s@%s -> %s@%s: %s%n", caller.user(), caller.domain(), callee.user(),
                    callee.domain(), call.media());
            return call;
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + kamailioLog(), e);
        } finally {
            calling.kill();
            answering.kill();
        }
    }

    /**
     * Both SIPp phones passed (INVITE, 200, ACK and BYE through both proxies), the phone of
     * a.example was told to send to our relay and the one of b.example to rtpengine, and each
     * heard at least 80 % of what the other sent.
     */
    private void assertConnectedWithMedia(Call call, NsSipp.MediaAddress aliceSends, NsSipp.MediaAddress bobSends) {
        assertThat(call.callerSipp().passed()).as("caller\n" + call.callerSipp().describe() + kamailioLog()).isTrue();
        assertThat(call.calleeSipp().passed()).as("callee\n" + call.calleeSipp().describe() + kamailioLog()).isTrue();
        assertThat(aliceSends.address()).as("alice sends to our relay").isEqualTo(PUBLIC_ADDRESS);
        assertThat(aliceSends.port()).as("alice sends to our relay").isBetween(RELAY_MIN, RELAY_MAX);
        assertThat(bobSends.address()).as("bob sends to rtpengine").isEqualTo(PUBLIC_ADDRESS);
        assertThat(bobSends.port()).as("bob sends to rtpengine").isBetween(RTPENGINE_MIN, RTPENGINE_MAX);
        String media = call.media() + "\n--- nat1 ---\n" + net.describe(net.nat1()) + "\n--- nat2 ---\n"
                + net.describe(net.nat2());
        assertThat(call.caller().sent()).as(media).isPositive();
        assertThat(call.callee().sent()).as(media).isPositive();
        assertThat(call.callee().received()).as("the callee hears the caller: " + media)
                .isGreaterThanOrEqualTo(call.caller().sent() * 8 / 10);
        assertThat(call.caller().received()).as("the caller hears the callee: " + media)
                .isGreaterThanOrEqualTo(call.callee().sent() * 8 / 10);
        eventually(Duration.ofSeconds(5), () -> noCalls(relay.command(Map.of("command", "list"))),
                "our relay freed after BYE");
        eventually(Duration.ofSeconds(5), () -> noCalls(rtpengine.command(Map.of("command", "list"))),
                "rtpengine freed after BYE (Kamailio's rtpengine_manage on the BYE)");
    }

    private static boolean noCalls(Map<String, Object> listed) {
        return listed.get("calls") instanceof List<?> calls && calls.isEmpty();
    }

    /** Pinhole's CDR of the call just made (the tests share one database: the one started since {@code since}). */
    private void assertPinholeRecorded(String caller, String callee, Instant since) {
        JdbcTemplate jdbc = pinhole.bean(JdbcTemplate.class);
        String query = "SELECT outcome, sip_status, media_path FROM calls WHERE caller = ? AND callee = ? AND started_at >= ?";
        Timestamp from = Timestamp.from(since);
        eventually(Duration.ofSeconds(5), () -> jdbc.queryForList(query, caller, callee, from).size() == 1, "Pinhole's CDR");
        assertThat(jdbc.queryForMap(query, caller, callee, from)).containsEntry("outcome", "answered")
                .containsEntry("sip_status", 200).containsEntry("media_path", "RELAY_UDP");
    }

    private String kamailioLog() {
        return kamailio == null ? "" : "\n--- kamailio ---\n" + kamailio.output();
    }
}
