package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.sip.Flow;
import io.pinhole.proxy.registrar.RegistrationResult;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pinger's schedule and bookkeeping with a recording sender: no sockets, a fixed clock. */
class NatPingerTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final PingBook book = new PingBook(true);
    private final BindingCache cache = new BindingCache(book::track);
    private final RecordingSender sender = new RecordingSender();
    private final KeepaliveProperties properties = new KeepaliveProperties(true, Duration.ofSeconds(20), 3, true);
    private static final long NO_LIMIT = Duration.ofSeconds(30).toNanos();
    /** Contacts on 10.x are behind NAT in these tests; others are public. */
    private static NatVerdict natOf(Binding b) {
        return b.contactUri().contains("@10.") ? new NatVerdict(true, List.of("private Contact")) : NatVerdict.PUBLIC;
    }

    private final NatPinger pinger = new NatPinger(book, cache, sender, properties, NatPingerTest::natOf, clock, NO_LIMIT);

    private static final class RecordingSender implements PingSender {
        final List<String> options = new ArrayList<>();
        final List<Binding> crlf = new ArrayList<>();
        final List<Runnable> crlfDelivered = new ArrayList<>();

        @Override
        public void options(Binding binding, String callIdPrefix) {
            options.add(binding.aor() + " " + callIdPrefix);
        }

        @Override
        public void crlf(Binding binding, Runnable delivered) {
            crlf.add(binding);
            crlfDelivered.add(delivered);
        }
    }

    private Binding register(String user, String contactHost, int sourcePort, String transport) {
        String aor = user + "@example.test";
        Binding binding = new Binding(1, aor, "sip:" + user + "@" + contactHost, "sip:" + user + "@" + contactHost + ":5060",
                "call-" + user, 1, null, 600, NOW.plusSeconds(600), new Flow("203.0.113.7", sourcePort, transport),
                null, null, "test");
        cache.apply(aor, NOW, live -> new RegistrationResult.Accepted(List.of(binding), List.of(binding), List.of()));
        return binding;
    }

    private void unregister(String user) {
        cache.apply(user + "@example.test", NOW, live -> new RegistrationResult.Accepted(List.of(), List.of(), live));
    }

    private void round() {
        for (int i = 0; i < pinger.slots(); i++) {
            pinger.tick();
        }
    }

    /** The Call-ID of the phone's answer: the ping's, with our host. */
    private static String answer(String callIdPrefix) {
        return callIdPrefix + "@198.51.100.1";
    }

    @Test
    void everyNatedBindingIsPingedOncePerIntervalAndSpreadOverIt() {
        for (int i = 0; i < 500; i++) {
            register("u" + i, "10.0.0." + (i % 250 + 1), 40000 + i, "UDP");
        }
        Map<Integer, Integer> perTick = new HashMap<>();
        for (int tick = 0; tick < pinger.slots(); tick++) {
            int before = sender.options.size();
            pinger.tick();
            perTick.put(tick, sender.options.size() - before);
        }

        assertThat(sender.options).hasSize(500);
        assertThat(sender.options.stream().map(o -> o.split(" ")[0]).distinct()).hasSize(500);
        // 2,000 ticks of 10 ms in 20 s: no tick carries more than one, the even share rounded up
        assertThat(pinger.slots()).isEqualTo(2000);
        assertThat(perTick.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isEqualTo(1);
        round();
        assertThat(sender.options).hasSize(1000);
    }

    @Test
    void publicBindingsAreNotPingedUnlessConfigured() {
        Binding open = register("desk", "198.51.100.9", 5060, "UDP");
        round();
        assertThat(sender.options).isEmpty();
        assertThat(book.plan(open).method()).isEqualTo(PingMethod.NONE);
        assertThat(book.reachable(open)).as("not pinged: no verdict").isEmpty();

        PingBook everyBook = new PingBook(true);
        BindingCache everyCache = new BindingCache(everyBook::track);
        NatPinger everyone = new NatPinger(everyBook, everyCache, sender,
                new KeepaliveProperties(true, Duration.ofSeconds(20), 3, false), b -> NatVerdict.PUBLIC, clock, NO_LIMIT);
        everyCache.apply(open.aor(), NOW, live -> new RegistrationResult.Accepted(List.of(open), List.of(open), List.of()));
        for (int i = 0; i < everyone.slots(); i++) {
            everyone.tick();
        }
        assertThat(sender.options).hasSize(1).allMatch(o -> o.startsWith("desk@example.test "));
        assertThat(everyBook.plan(open).method()).isEqualTo(PingMethod.OPTIONS);
    }

    @Test
    void tcpBindingsGetCrlfAndADeliveredCrlfCountsAsAnAnswer() {
        Binding phone = register("tcp", "10.1.1.1", 41000, "TCP");
        for (int r = 0; r < 5; r++) {
            round();
            sender.crlfDelivered.forEach(Runnable::run);
            sender.crlfDelivered.clear();
        }
        assertThat(sender.crlf).hasSize(5).allMatch(b -> b.equals(phone));
        assertThat(book.reachable(phone)).contains(true);
    }

    @Test
    void unansweredPingsMarkTheBindingUnreachableAndAnAnswerBringsItBack() throws Exception {
        Binding phone = register("silent", "10.0.0.5", 40001, "UDP");
        round(); // ping 1
        round(); // ping 2, ping 1 missed
        round(); // ping 3, 2 missed
        assertThat(book.reachable(phone)).contains(true);
        round(); // ping 4, 3 missed: unreachable
        assertThat(book.reachable(phone)).contains(false);
        assertThat(pinger.becameUnreachable()).isEqualTo(1);

        assertThat(book.unreachable()).isEqualTo(1);

        String last = sender.options.get(sender.options.size() - 1).split(" ")[1];
        book.answered(answer(last));
        assertThat(book.reachable(phone)).contains(true);
        assertThat(book.unreachable()).isZero();
        assertThat(book.lateAnswers()).isZero();
        round();
        assertThat(book.reachable(phone)).contains(true);
    }

    @Test
    void anAnswerToAnOlderPingIsClaimedButDoesNotCount() throws Exception {
        Binding phone = register("late", "10.0.0.6", 40002, "UDP");
        round();
        String first = sender.options.get(0).split(" ")[1];
        round();
        book.answered(answer(first));
        assertThat(book.lateAnswers()).isEqualTo(1);
        round();
        round(); // pings 1..3 never answered in time
        assertThat(book.reachable(phone)).contains(false);
    }

    @Test
    void mangledAnswersAreCountedAsLateAndCreditNothing() {
        Binding phone = register("mangled", "10.0.0.10", 40010, "UDP");
        round();
        book.answered("nat-ping-x-1@198.51.100.1");
        book.answered("nat-ping-1@198.51.100.1");
        book.answered("nat-ping-1-1");

        assertThat(book.lateAnswers()).isEqualTo(3);
        assertThat(book.answers()).isZero();
        assertThat(book.reachable(phone)).contains(true);
    }

    @Test
    void anUnreachableBindingThatLeavesIsNoLongerCounted() {
        register("gone", "10.0.0.11", 40011, "UDP");
        for (int i = 0; i < 4; i++) {
            round();
        }
        assertThat(book.unreachable()).isEqualTo(1);

        unregister("gone");
        round();

        assertThat(book.tracked()).isZero();
        assertThat(book.unreachable()).isZero();
    }

    /** 10,000 bindings at 20 s: 2,000 buckets of exactly 5, whatever the mix of pinged and public ones. */
    @Test
    void everyTickCarriesTheEvenShareOfThePingedBindings() {
        for (int i = 0; i < 12_000; i++) {
            // every sixth is public (not pinged) and sits in the buckets all the same
            register("e" + i, i % 6 == 5 ? "198.51.100.9" : "10.1." + (i / 250) + "." + (i % 250 + 1), 20_000 + i, "UDP");
        }
        List<Integer> perTick = new ArrayList<>();
        for (int tick = 0; tick < pinger.slots(); tick++) {
            int before = sender.options.size();
            pinger.tick();
            perTick.add(sender.options.size() - before);
        }

        assertThat(sender.options).hasSize(10_000);
        assertThat(perTick).containsOnly(5);
    }

    private List<Integer> pingsPerTickOverOneRound() {
        sender.options.clear();
        List<Integer> perTick = new ArrayList<>();
        for (int tick = 0; tick < pinger.slots(); tick++) {
            int before = sender.options.size();
            pinger.tick();
            perTick.add(sender.options.size() - before);
        }
        return perTick;
    }

    /**
     * Phones that move to a new NAT mapping leave their buckets a round later; the bindings that
     * come next fill those places first, so the buckets stay within one binding of each other.
     */
    @Test
    void newBindingsFillThePlacesOfThoseThatLeft() {
        for (int i = 0; i < 4_000; i++) {
            register("m" + i, "10.2." + (i / 250) + "." + (i % 250 + 1), 30_000 + i, "UDP");
        }
        assertThat(pingsPerTickOverOneRound()).containsOnly(2);
        int moved = 0;
        for (int i = 0; i < 4_000; i += 7, moved++) {
            register("m" + i, "10.2." + (i / 250) + "." + (i % 250 + 1), 50_000 + i, "UDP"); // a new NAT mapping
        }
        round(); // the new flows are planned, the old ones leave their buckets
        for (int i = 0; i < moved; i++) {
            register("n" + i, "10.4." + (i / 250) + "." + (i % 250 + 1), 40_000 + i, "UDP");
        }

        List<Integer> perTick = pingsPerTickOverOneRound();

        assertThat(book.tracked()).isEqualTo(4_000 + moved);
        assertThat(perTick.stream().mapToInt(Integer::intValue).sum()).isEqualTo(4_000 + moved);
        assertThat(perTick).containsOnly(2, 3);
    }

    /** Planning new bindings stops when the tick's budget is spent: the pings of the tick go out on time. */
    @Test
    void aTickPlansNewBindingsOnlyWithinItsBudget() {
        NatPinger hurried = new NatPinger(book, cache, sender, properties, NatPingerTest::natOf, clock, 0);
        for (int i = 0; i < 3; i++) {
            register("slow" + i, "10.3.0." + (i + 1), 41_000 + i, "UDP");
        }

        hurried.tick();
        assertThat(book.tracked()).isEqualTo(1);
        hurried.tick();
        hurried.tick();
        assertThat(book.tracked()).isEqualTo(3);
    }

    @Test
    void bucketsFollowTheInterval() {
        assertThat(NatPinger.slots(Duration.ofSeconds(1))).isEqualTo(100);
        assertThat(NatPinger.slots(Duration.ofSeconds(20))).isEqualTo(2000);
        assertThat(NatPinger.slots(Duration.ofSeconds(30))).isEqualTo(3000);
        assertThat(NatPinger.slots(Duration.ofHours(1))).isEqualTo(NatPinger.MAX_SLOTS);
    }

    @Test
    void aBindingThatIsGoneStopsBeingPingedAndIsForgotten() {
        register("leaver", "10.0.0.7", 40003, "UDP");
        round();
        assertThat(sender.options).hasSize(1);
        unregister("leaver");
        round();
        round();
        assertThat(sender.options).hasSize(1);
        assertThat(book.tracked()).isZero();
    }

    @Test
    void aPhoneThatReRegistersOverANewFlowIsPingedThereOnly() {
        register("mover", "10.0.0.8", 40004, "UDP");
        round();
        Binding moved = register("mover", "10.0.0.8", 40999, "UDP");
        round();
        round();
        assertThat(sender.options).hasSize(3);
        assertThat(book.tracked()).isEqualTo(1);
        assertThat(book.plan(moved).pinged()).isTrue();
    }

    @Test
    void forkingSkipsUnreachableBindingsWhileAnotherAnswers() {
        Binding deskPhone = register("multi", "10.0.0.9", 40005, "UDP");
        for (int i = 0; i < 4; i++) {
            round();
        }
        assertThat(book.reachable(deskPhone)).contains(false);
        Binding mobile = new Binding(1, "multi@example.test", "sip:mobile", "sip:multi@198.51.100.20", "c", 1, null, 600,
                NOW.plusSeconds(600), new Flow("198.51.100.20", 5060, "UDP"), null, null, "test");

        assertThat(book.preferReachable(List.of(deskPhone, mobile))).containsExactly(mobile);
        assertThat(book.preferReachable(List.of(deskPhone))).as("the only binding is still tried").containsExactly(deskPhone);
    }
}
