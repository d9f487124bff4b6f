package io.pinhole.proxy.punch;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinhole.proxy.conference.Tones;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.proxy.support.netns.Baresip;
import io.pinhole.proxy.support.netns.NatTopology;
import io.pinhole.testsupport.Scratch;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

import static io.pinhole.testsupport.Eventually.eventually;
import static io.pinhole.proxy.support.netns.NatTopology.ALICE_ADDRESS;
import static io.pinhole.proxy.support.netns.NatTopology.BOB_ADDRESS;

/**
 * One call between two baresip softphones across the punch topology: bob (nat2) answers by
 * himself, alice (nat1) dials once both are registered and probed, they talk for
 * {@link #TALK_SECONDS} s, alice hangs up. Each sends a tone from a file and records what it hears
 * ({@code sndfile}); a {@link MediaTimeline} samples the relay's packet count (ng
 * {@code statistics}), the packets on the wire between the two NATs, and what each phone's
 * namespace received.
 */
final class BaresipPunchCall {

    static final String ALICE = "bsalice";
    static final String BOB = "bsbob";
    static final int ALICE_HZ = 440;
    static final int BOB_HZ = 660;
    static final int TALK_SECONDS = 10;
    static final String RELAY = "relay";
    static final String NAT1_TO_NAT2 = "nat1>nat2";
    static final String NAT2_TO_NAT1 = "nat2>nat1";
    static final String ALICE_HEARD = "alice-heard";
    static final String BOB_HEARD = "bob-heard";
    private static final int SIP_PORT = 5070;

    /**
     * What the call did.
     *
     * @param answeredAt ms into the timeline when both phones said the call was established
     * @param aliceHeard what alice's baresip decoded (8 kHz samples), from the answer on
     */
    record Outcome(MediaTimeline timeline, List<MediaTimeline.Sample> rounds, long answeredAt, String aliceLog,
                   String bobLog, double[] aliceHeard, double[] bobHeard, Map<String, Object> cdr) {

        long since(MediaTimeline.Sample s, String counter) {
            return timeline.since(rounds, s, counter);
        }

        MediaTimeline.Sample last() {
            return rounds.get(rounds.size() - 1);
        }

        /** The first round at or after the answer. */
        MediaTimeline.Sample answered() {
            return rounds.stream().filter(s -> s.millis() >= answeredAt).findFirst().orElse(last());
        }

        @Override
        public String toString() {
            return "answered at " + answeredAt + " ms\n" + timeline.describe(rounds) + "\nCDR " + cdr
                    + "\n--- alice's baresip ---\n" + aliceLog + "\n--- bob's baresip ---\n" + bobLog;
        }
    }

    private BaresipPunchCall() {
    }

    /**
     * Places the call.
     *
     * @param registration the admin API's registration of a user (to see it probed)
     */
    static Outcome place(NatTopology net, RelayProcess relay, ProxyInstance proxy, String domain, String password,
                         Function<String, JsonNode> registration) throws Exception {
        return place(net, relay, proxy, domain, password, registration, "");
    }

    /** The same with users {@code bsalice}/{@code bsbob} plus {@code users} (each call in a class its own users). */
    static Outcome place(NatTopology net, RelayProcess relay, ProxyInstance proxy, String domain, String password,
                         Function<String, JsonNode> registration, String users) throws Exception {
        return place(net, relay, proxy, domain, password, registration, users, null, null);
    }

    /**
     * The same with ICE at alice and/or bob: {@code aliceStun}, {@code bobStun} ("host:port" of the
     * STUN server their ICE gathers from), null for a phone without ICE.
     */
    static Outcome place(NatTopology net, RelayProcess relay, ProxyInstance proxy, String domain, String password,
                         Function<String, JsonNode> registration, String users, String aliceStun, String bobStun)
            throws Exception {
        String aliceUser = ALICE + users;
        String bobUser = BOB + users;
        proxy.addUser(domain, aliceUser, password);
        proxy.addUser(domain, bobUser, password);
        net.countWireBetweenNats();
        Baresip.countAudio(net.alice());
        Baresip.countAudio(net.bob());
        String outbound = "sip:" + NatTopology.PUBLIC_ADDRESS + ":" + proxy.sipPort();
        Path aliceRecords = Scratch.directory("alice-hears");
        Path bobRecords = Scratch.directory("bob-hears");
        JdbcTemplate jdbc = proxy.bean(JdbcTemplate.class);
        int before = jdbc.queryForObject("SELECT count(*) FROM calls", Integer.class);
        MediaTimeline timeline;
        List<MediaTimeline.Sample> rounds;
        long answeredAt;
        String aliceLog;
        String bobLog;
        try (Baresip bob = Baresip.startRecordingIce(net.bob(), BOB_ADDRESS, SIP_PORT, "sip:" + bobUser + "@" + domain, password,
                outbound, Baresip.tone(BOB_HZ, 60), true, 60, bobRecords, bobStun);
             Baresip alice = Baresip.startRecordingIce(net.alice(), ALICE_ADDRESS, SIP_PORT, "sip:" + aliceUser + "@" + domain,
                     password, outbound, Baresip.tone(ALICE_HZ, 60), false, 60, aliceRecords, aliceStun)) {
            for (String user : List.of(aliceUser, bobUser)) {
                try {
                    eventually(Duration.ofSeconds(15), () -> probed(registration, user), user + " registered and probed");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n--- alice ---\n" + alice.log() + "\n--- bob ---\n" + bob.log(), e);
                }
            }
            Map<String, LongSupplier> counters = new LinkedHashMap<>();
            counters.put(RELAY, () -> relayPackets(relay));
            counters.put(NAT1_TO_NAT2, net::wireFromNat1);
            counters.put(NAT2_TO_NAT1, net::wireFromNat2);
            counters.put(ALICE_HEARD, () -> Baresip.audioReceived(net.alice()));
            counters.put(BOB_HEARD, () -> Baresip.audioReceived(net.bob()));
            timeline = MediaTimeline.start(counters);
            try {
                alice.command("/dial sip:" + bobUser + "@" + domain);
                alice.awaitLog("Call established", Duration.ofSeconds(15));
                bob.awaitLog("Call established", Duration.ofSeconds(5));
                answeredAt = timeline.now();
                Thread.sleep(TALK_SECONDS * 1000L);
                alice.command("/hangup");
                bob.awaitLog("terminated", Duration.ofSeconds(10));
            } finally {
                rounds = timeline.stop();
            }
            aliceLog = alice.log();
            bobLog = bob.log();
        }
        eventually(Duration.ofSeconds(5), () -> jdbc.queryForObject("SELECT count(*) FROM calls", Integer.class) > before,
                "the CDR written");
        Map<String, Object> cdr = jdbc.queryForMap("SELECT * FROM calls ORDER BY ended_at DESC LIMIT 1");
        Outcome outcome = new Outcome(timeline, rounds, answeredAt, aliceLog, bobLog, decoded(aliceRecords),
                decoded(bobRecords), cdr);
        System.out.println("baresip punch call:\n" + timeline.describe(rounds) + "\nCDR " + cdr);
        return outcome;
    }

    private static boolean probed(Function<String, JsonNode> registration, String user) {
        JsonNode r = registration.apply(user);
        return r != null && r.path("capabilities").hasNonNull("probedAt");
    }

    @SuppressWarnings("unchecked")
    private static long relayPackets(RelayProcess relay) {
        Map<String, Object> statistics = (Map<String, Object>) relay.command(Map.of("command", "statistics")).get("statistics");
        return ((Number) ((Map<String, Object>) statistics.get("totalstatistics")).get("packets")).longValue();
    }

    /** What a phone's baresip decoded during the call ({@code dump-*-dec.wav}). */
    private static double[] decoded(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            Path wav = files.filter(f -> f.getFileName().toString().endsWith("-dec.wav")).findFirst()
                    .orElseThrow(() -> new AssertionError("baresip wrote no recording of what it heard in " + directory));
            return Tones.wav(wav);
        }
    }

    /**
     * The share of {@code hz} in each whole second of {@code audio} from {@code fromSecond} to
     * {@code toSecond}, its median: a second spoilt by a stall of the loaded machine does not decide alone.
     */
    static double medianShare(double[] audio, int fromSecond, int toSecond, int hz) {
        int to = Math.min(toSecond, audio.length / Tones.RATE);
        if (to <= fromSecond) {
            return 0;
        }
        double[] shares = new double[to - fromSecond];
        for (int s = fromSecond; s < to; s++) {
            shares[s - fromSecond] = Tones.share(audio, s * Tones.RATE, Tones.RATE, hz);
        }
        Arrays.sort(shares);
        return shares[shares.length / 2];
    }
}
