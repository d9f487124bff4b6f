package io.pinhole.proxy.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.support.FailoverChecks.Ports;
import io.pinhole.proxy.support.MediaProbePhone;
import io.pinhole.proxy.relay.FailoverProperties;
import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.Sipp;
import io.pinhole.testsupport.SippTrace;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.pinhole.proxy.support.FailoverChecks.assertMovedThrough;
import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 under load: a relay killed under 1,000 answered calls (SIPp caller and callee, no RTP).
 * Every call must move to the other relay, each phone re-INVITEd once and no call failed (both
 * scenarios demand the re-INVITE), within the time the pacing predicts: detection, then
 * {@code moves-per-second} (200) calls a second. Among them, a sample of calls carries RTP both ways
 * (a SIPp pair each, the media sent and counted by {@code /nat/punch_phone.py}, which follows each
 * re-INVITE's SDP as a phone does): each phone must hear the other through relay A before the kill
 * and through relay B after the move.
 */
class RelayFailoverManyCallsIT {

    private static final String DOMAIN = "failover-many.example";
    private static final String PASSWORD = "correct-horse";
    private static final int CALLS = 1000;
    /** Calls set up a second by the SIPp caller. */
    private static final int RATE = 100;
    /** How long each caller holds its call after the move's re-INVITE: all calls are on relay B at once. */
    private static final int HOLD_MS = 12_000;
    /** Four ports a call (RTP and RTCP each side); room for all calls with some to spare. */
    private static final int A_MIN = 36000;
    private static final int A_MAX = 40999;
    private static final int B_MIN = 52000;
    private static final int B_MAX = 56999;
    private static final Ports A = new Ports("A", A_MIN, A_MAX);
    private static final Ports B = new Ports("B", B_MIN, B_MAX);
    /** Beyond detection and pacing: the re-INVITE round trips of the last calls on a busy 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);
    /** Calls with RTP both ways, set up once the 1,000 are answered, moved along with them. */
    private static final int SAMPLE = 5;
    /** A sample phone's RTP, from its answer (or INVITE): past the kill, the paced moves and 10 s after. */
    private static final double SAMPLE_MEDIA_SECONDS = 22.0;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void thousandCallsAllMoveToTheOtherRelayAtThePacedRate() throws Exception {
        try (RelayProcess relayA = RelayProcess.start(A_MIN, A_MAX);
             RelayProcess relayB = RelayProcess.start(B_MIN, B_MAX);
             ProxyInstance proxy = proxy()) {
            JdbcTemplate jdbc = proxy.bean(JdbcTemplate.class);
            long a = proxy.addRelay("relay-a", relayA.control());
            proxy.addUser(DOMAIN, "bob", PASSWORD);
            proxy.addUser(DOMAIN, "alice", PASSWORD);
            int bobPort = FreePorts.udpAndTcp();
            Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(bobPort).service("bob")
                    .credentials("bob", PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
            assertThat(registered.passed()).as(registered.describe()).isTrue();
            Sipp.Running bob = Sipp.scenario("failover-uas-many.xml", proxy.sipTarget()).localPort(bobPort)
                    .arg("-m", String.valueOf(CALLS), "-timeout", "58s").start();
            Sipp.Running alice = Sipp.scenario("failover-uac-many.xml", proxy.sipTarget()).service("alice")
                    .credentials("alice", PASSWORD).key("domain", DOMAIN).key("callee", "bob")
                    .arg("-m", String.valueOf(CALLS), "-r", String.valueOf(RATE), "-l", String.valueOf(2 * CALLS),
                            "-d", String.valueOf(HOLD_MS), "-timeout", "58s").start();
            try {
                CallRegistry registry = proxy.bean(CallRegistry.class);
                long giveUp = System.currentTimeMillis() + 40_000;
                while (answered(registry) < CALLS && System.currentTimeMillis() < giveUp) {
                    Thread.sleep(100);
                }
                assertThat(answered(registry)).as("calls answered (SIPp caller: "
                        + tail(alice.work().resolve("out.log")) + ")").isEqualTo(CALLS);
                assertThat(relayA.command(Map.of("command", "list", "limit", String.valueOf(2 * CALLS))).get("calls")).asList().hasSize(CALLS);
                for (int i = 0; i < SAMPLE; i++) {
                    samples.add(MediaCall.start(proxy, i));
                }
                for (MediaCall sample : samples) {
                    eventually(Duration.ofSeconds(15), () -> Files.exists(sample.caller.work().resolve("peer-media.txt")),
                            "a sample call with media answered");
                }
                // Relay B only now: the sample calls went on relay A too.
                long b = proxy.addRelay("relay-b", relayB.control());
                // Media through relay A for a while (the phones send every 20 ms) before the kill.
                Thread.sleep(1500);

                long killedAt = System.currentTimeMillis();
                relayA.kill();
                MeterRegistry meters = proxy.bean(MeterRegistry.class);
                eventually(Duration.ofSeconds(30), () -> moved(meters) + ended(meters) >= CALLS + SAMPLE,
                        "every call handled");
                long allMoved = System.currentTimeMillis() - killedAt;
                int onB = relayB.command(Map.of("command", "list", "limit", String.valueOf(2 * CALLS))).get("calls") instanceof List<?> l ? l.size() : -1;
                FailoverProperties failover = proxy.bean(FailoverProperties.class);
                long predicted = failover.pingInterval().toMillis() * (failover.misses() + 1)
                        + 1000L * (CALLS + SAMPLE) / failover.movesPerSecond();
                System.out.println((CALLS + SAMPLE) + " calls moved " + allMoved + " ms after the kill (predicted at most "
                        + predicted + " ms: detection and " + failover.movesPerSecond() + " moves a second); "
                        + onB + " calls on relay B then");

                Sipp.Result aliceSipp = alice.await();
                Sipp.Result bobSipp = bob.await();
                // Every call got its re-INVITE on both sides and ended normally (the scenarios demand both).
                assertThat(aliceSipp.passed()).as("the callers' SIPp\n" + aliceSipp.describe()).isTrue();
                assertThat(bobSipp.passed()).as("the callees' SIPp\n" + bobSipp.describe()).isTrue();
                List<SippTrace.Message> callerReinvites = received(aliceSipp, "INVITE ");
                List<SippTrace.Message> calleeInvites = received(bobSipp, "INVITE ");
                assertThat(distinct(callerReinvites)).as("calls whose caller got a re-INVITE").isEqualTo(CALLS);
                assertThat(distinct(calleeInvites)).as("INVITEs and re-INVITEs to the callees").isEqualTo(2 * CALLS);
                long lastReinvite = epochMillis(callerReinvites.get(callerReinvites.size() - 1).at()) - killedAt;
                System.out.println("first caller re-INVITE " + (epochMillis(callerReinvites.get(0).at()) - killedAt)
                        + " ms after the kill, last " + lastReinvite + " ms");

                // The sample's media: heard through A before the kill and through B after the move.
                for (MediaCall sample : samples) {
                    sample.check(killedAt, predicted + SLACK.toMillis(), json);
                }

                assertThat(moved(meters)).as("calls moved").isEqualTo(CALLS + SAMPLE);
                assertThat(ended(meters)).as("calls ended for want of a move").isZero();
                assertThat(onB).as("calls on relay B once all moved").isEqualTo(CALLS + SAMPLE);
                assertThat(allMoved).as("time to move " + CALLS + " calls (ms)")
                        .isLessThanOrEqualTo(predicted + SLACK.toMillis());

                eventually(Duration.ofSeconds(20), () -> count(jdbc, "SELECT count(*) FROM calls") == CALLS + SAMPLE,
                        "the CDRs written");
                assertThat(count(jdbc, "SELECT count(*) FROM calls WHERE outcome = 'answered' AND relay_failovers = 1 "
                        + "AND relay_id = " + b)).as("CDRs of calls answered and moved to relay B").isEqualTo(CALLS + SAMPLE);
                RelayPool pool = proxy.bean(RelayPool.class);
                assertThat(pool.byId(a).map(Relay::active)).as("our calls on the dead relay").hasValue(0);
                eventually(Duration.ofSeconds(10), () -> pool.byId(b).map(Relay::active).orElse(-1) == 0,
                        "relay B released");
            } finally {
                alice.kill();
                bob.kill();
                samples.forEach(MediaCall::kill);
            }
        }
    }

    private final List<MediaCall> samples = new ArrayList<>();

    /** One call of the sample: a callee and a caller SIPp, each with its RTP phone. */
    private record MediaCall(int index, Sipp.Running caller, Sipp.Running callee, MediaProbePhone callerPhone,
                             MediaProbePhone calleePhone) {

        static MediaCall start(ProxyInstance proxy, int index) throws IOException {
            String user = "carol" + index;
            proxy.addUser(DOMAIN, user, PASSWORD);
            int port = FreePorts.udpAndTcp();
            Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(port).service(user)
                    .credentials(user, PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
            assertThat(registered.passed()).as(registered.describe()).isTrue();
            int calleeRtp = FreePorts.udpAndTcp();
            Sipp.Running callee = Sipp.scenario("call-uas-reinvite-media.xml", proxy.sipTarget()).localPort(port)
                    .key("rtp_port", calleeRtp).arg("-timeout", "60s").start();
            int callerRtp = FreePorts.udpAndTcp();
            Sipp.Running caller = Sipp.scenario("failover-uac-many-media.xml", proxy.sipTarget()).service("alice")
                    .credentials("alice", PASSWORD).key("domain", DOMAIN).key("callee", user)
                    .key("rtp_port", callerRtp).arg("-timeout", "60s").start();
            return new MediaCall(index, caller, callee,
                    MediaProbePhone.start(null, "127.0.0.1:" + callerRtp, caller.work().resolve("peer-media.txt"),
                            SAMPLE_MEDIA_SECONDS),
                    MediaProbePhone.start(null, "127.0.0.1:" + calleeRtp, callee.work().resolve("peer-media.txt"),
                            SAMPLE_MEDIA_SECONDS));
        }

        /** Both phones re-INVITEd onto relay B within {@code bound} of the kill, each hearing the other via A, then B. */
        void check(long killedAt, long bound, ObjectMapper json) throws Exception {
            Sipp.Result callerSipp = caller.await();
            Sipp.Result calleeSipp = callee.await();
            JsonNode callerMedia = callerPhone.await(json);
            JsonNode calleeMedia = calleePhone.await(json);
            String seen = "sample call " + index + ": caller " + callerMedia + "\ncallee " + calleeMedia;
            assertThat(callerSipp.passed()).as("sample caller's SIPp\n" + callerSipp.describe()).isTrue();
            assertThat(calleeSipp.passed()).as("sample callee's SIPp\n" + calleeSipp.describe()).isTrue();
            for (Sipp.Running phone : List.of(caller, callee)) {
                List<String> reinvites = lines(phone.work().resolve("reinvites.log"));
                assertThat(reinvites).as(seen).hasSize(1);
                String[] fields = reinvites.get(0).split(" ");
                assertThat(Long.parseLong(fields[0]) - killedAt).as("re-INVITE after the kill (ms)\n" + seen)
                        .isBetween(0L, bound);
                assertThat(Integer.parseInt(fields[2])).as("the new media port is relay B's\n" + seen)
                        .isBetween(B_MIN, B_MAX);
            }
            // 10 s and more of media after the move: 500 packets; at least half of them arrived.
            assertMovedThrough(Map.of("caller", callerMedia, "callee", calleeMedia), A, 20, B, 250,
                    Duration.ofMillis(bound), seen);
        }

        void kill() {
            caller.kill();
            callee.kill();
            callerPhone.kill();
            calleePhone.kill();
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList()
                : List.of();
    }

    private static ProxyInstance proxy() {
        // All SIP comes from 127.0.0.1: trusted, or the flood limit (400 requests in 2 s) bans it;
        // every call is alice's: the per-account fraud caps raised as in bench/calls.
        return ProxyInstance.start(Map.of("pinhole.media.default-relay", "127.0.0.1:" + FreePorts.udpAndTcp(),
                "pinhole.media.reload-interval", "200ms", "pinhole.media.policy", "always",
                "pinhole.keepalive.enabled", false, "pinhole.probe.enabled", false,
                "pinhole.flood.trusted-sources", "127.0.0.1",
                "pinhole.flood.max-concurrent-calls-per-account", 100000,
                "pinhole.flood.max-calls-per-minute-per-account", 100000,
                // a CI machine busy with other tests must not shed these calls as overload (503)
                "pinhole.calls.max-queue-delay", "3s"));
    }


    private static long answered(CallRegistry registry) {
        return registry.live().stream().filter(c -> "ANSWERED".equals(c.state())).count();
    }

    private static long moved(MeterRegistry meters) {
        return (long) meters.get("pinhole.relay.failovers").tag("result", "moved").counter().count();
    }

    private static long ended(MeterRegistry meters) {
        return (long) meters.get("pinhole.relay.failovers").tag("result", "ended").counter().count();
    }

    private static List<SippTrace.Message> received(Sipp.Result result, String startLine) {
        return SippTrace.parse(result.messages()).stream()
                .filter(m -> m.received() && m.startLine().startsWith(startLine)).toList();
    }

    /** Messages apart from retransmissions: distinct Call-ID and CSeq. */
    private static long distinct(List<SippTrace.Message> messages) {
        return messages.stream().map(m -> header(m.text(), "Call-ID") + " " + header(m.text(), "CSeq")).distinct().count();
    }

    private static String header(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return "";
    }

    private static String tail(java.nio.file.Path file) {
        try {
            String text = java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "";
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static long epochMillis(LocalDateTime at) {
        return at.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }
}
