package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.registrar.Flow;
import io.pinhole.proxy.registrar.RegistrationResult;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.message.SIPResponse;
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
    private final PingBook book = new PingBook(clock);
    private final BindingCache cache = new BindingCache(book::track);
    private final RecordingSender sender = new RecordingSender();
    private final KeepaliveProperties properties = new KeepaliveProperties(true, Duration.ofSeconds(20), 3, true);
    /** Contacts on 10.x are behind NAT in these tests; others are public. */
    private final NatPinger pinger = new NatPinger(book, cache, sender, properties,
            b -> b.contactUri().contains("@10.") ? new NatVerdict(true, List.of("private Contact")) : NatVerdict.PUBLIC, clock);

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
        for (int i = 0; i < NatPinger.SLOTS; i++) {
            pinger.tick();
        }
    }

    private static SIPResponse answer(String callIdPrefix) throws Exception {
        SIPResponse response = new SIPResponse();
        response.setStatusCode(200);
        CallID callId = new CallID();
        callId.setCallId(callIdPrefix + "@198.51.100.1");
        response.setCallId(callId);
        return response;
    }

    @Test
    void everyNatedBindingIsPingedOncePerIntervalAndSpreadOverIt() {
        for (int i = 0; i < 500; i++) {
            register("u" + i, "10.0.0." + (i % 250 + 1), 40000 + i, "UDP");
        }
        Map<Integer, Integer> perTick = new HashMap<>();
        for (int tick = 0; tick < NatPinger.SLOTS; tick++) {
            int before = sender.options.size();
            pinger.tick();
            perTick.put(tick, sender.options.size() - before);
        }

        assertThat(sender.options).hasSize(500);
        assertThat(sender.options.stream().map(o -> o.split(" ")[0]).distinct()).hasSize(500);
        // 5 per tick on average: no tick carries a burst
        assertThat(perTick.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isLessThanOrEqualTo(20);
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

        PingBook everyBook = new PingBook(clock);
        BindingCache everyCache = new BindingCache(everyBook::track);
        NatPinger everyone = new NatPinger(everyBook, everyCache, sender,
                new KeepaliveProperties(true, Duration.ofSeconds(20), 3, false), b -> NatVerdict.PUBLIC, clock);
        everyCache.apply(open.aor(), NOW, live -> new RegistrationResult.Accepted(List.of(open), List.of(open), List.of()));
        for (int i = 0; i < NatPinger.SLOTS; i++) {
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

        String last = sender.options.get(sender.options.size() - 1).split(" ")[1];
        assertThat(book.answered(answer(last))).as("our ping's answer is claimed").isTrue();
        assertThat(book.reachable(phone)).contains(true);
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
    void responsesThatAreNotOursAreLeftToTheCallLayer() throws Exception {
        assertThat(book.answered(answer("a84b4c76e66710"))).isFalse();
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
