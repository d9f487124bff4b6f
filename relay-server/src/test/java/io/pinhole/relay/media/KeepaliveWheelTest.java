package io.pinhole.relay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wheel's scheduling alone, with a visitor that only records when it is called. */
class KeepaliveWheelTest {

    private static final long INTERVAL = 15_000_000_000L;
    private static final long T0 = 1_000_000_000_000L;

    /** Records each endpoint's visit times and asks to be visited again one interval later. */
    private static final class Recorder implements KeepaliveWheel.Visitor {
        final Map<Endpoint, List<Long>> visits = new IdentityHashMap<>();
        final List<Endpoint> dropped = new ArrayList<>();
        Endpoint drop;

        @Override
        public long visit(Endpoint endpoint, long nowNanos) {
            visits.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(nowNanos);
            if (endpoint == drop) {
                dropped.add(endpoint);
                return DROP;
            }
            return nowNanos + INTERVAL;
        }
    }

    private static Endpoint endpoint() {
        return new Endpoint(41000, null, new LatchPolicy(true, true, false));
    }

    @Test
    void visitsAWatchedEndpointOncePerIntervalAtMostOneTickLate() {
        Recorder recorder = new Recorder();
        KeepaliveWheel wheel = new KeepaliveWheel(INTERVAL, T0, recorder);
        long tick = wheel.tickNanos();
        assertThat(tick).isEqualTo(INTERVAL / KeepaliveWheel.TICKS_PER_INTERVAL);
        Endpoint e = endpoint();
        long watchedAt = T0 + 12_345_678;
        wheel.watch(e, watchedAt);
        wheel.watch(e, watchedAt + tick); // a second latch (relatching) changes nothing
        assertThat(wheel.size()).isEqualTo(1);

        for (long now = T0; now <= watchedAt + 10 * INTERVAL + tick; now += tick) {
            wheel.advance(now);
        }

        List<Long> at = recorder.visits.get(e);
        assertThat(at).hasSize(10);
        long previous = watchedAt;
        for (long t : at) {
            assertThat(t - previous).as("gap between visits").isBetween(INTERVAL, INTERVAL + tick);
            previous = t;
        }
    }

    @Test
    void eachTurnVisitsOnlyTheEndpointsThatAreDue() {
        Recorder recorder = new Recorder();
        KeepaliveWheel wheel = new KeepaliveWheel(INTERVAL, T0, recorder);
        long tick = wheel.tickNanos();
        int endpoints = 20_000; // 10,000 calls, two latched sides each
        List<Endpoint> all = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            Endpoint e = endpoint();
            all.add(e);
            wheel.watch(e, T0 + (long) i * INTERVAL / endpoints); // latched over one interval, as calls come in
        }

        long maxPerTurn = 0;
        long turns = 0;
        for (long now = T0 + INTERVAL; now < T0 + 6 * INTERVAL; now += tick) {
            long before = wheel.visits();
            wheel.advance(now);
            maxPerTurn = Math.max(maxPerTurn, wheel.visits() - before);
            turns++;
        }

        assertThat(turns).isEqualTo(5L * KeepaliveWheel.TICKS_PER_INTERVAL);
        // five intervals: every endpoint about five times, none more; a turn does 1/16 of the work
        assertThat(wheel.visits()).isBetween(4L * endpoints, 5L * endpoints);
        assertThat(maxPerTurn).isLessThanOrEqualTo(2L * endpoints / KeepaliveWheel.TICKS_PER_INTERVAL);
        for (Endpoint e : all) {
            assertThat(recorder.visits.get(e).size()).isBetween(4, 5);
        }
    }

    @Test
    void aStalledLoopStillVisitsEveryEndpoint() {
        Recorder recorder = new Recorder();
        KeepaliveWheel wheel = new KeepaliveWheel(INTERVAL, T0, recorder);
        List<Endpoint> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Endpoint e = endpoint();
            all.add(e);
            wheel.watch(e, T0 + i * wheel.tickNanos() / 7);
        }
        wheel.advance(T0 + 7 * INTERVAL); // nothing ran for seven intervals

        for (Endpoint e : all) {
            assertThat(recorder.visits.get(e)).as("visited once, late").hasSize(1);
        }
        wheel.advance(T0 + 8 * INTERVAL + wheel.tickNanos());
        for (Endpoint e : all) {
            assertThat(recorder.visits.get(e)).as("and again one interval later").hasSize(2);
        }
    }

    @Test
    void anEndpointTheVisitorDropsLeavesTheWheel() {
        Recorder recorder = new Recorder();
        KeepaliveWheel wheel = new KeepaliveWheel(INTERVAL, T0, recorder);
        Endpoint kept = endpoint();
        Endpoint gone = endpoint();
        recorder.drop = gone;
        wheel.watch(kept, T0);
        wheel.watch(gone, T0);

        for (long now = T0; now <= T0 + 3 * INTERVAL + wheel.tickNanos(); now += wheel.tickNanos()) {
            wheel.advance(now);
        }

        assertThat(recorder.visits.get(gone)).hasSize(1);
        assertThat(recorder.visits.get(kept)).hasSize(3);
        assertThat(wheel.size()).isEqualTo(1);
    }

    @Test
    void aDeadlineBeyondTheWheelIsVisitedEarlyNotLost() {
        KeepaliveWheel.Visitor farAway = (e, now) -> now + 10 * INTERVAL; // e.g. after a clock jump
        List<Long> seen = new ArrayList<>();
        KeepaliveWheel wheel = new KeepaliveWheel(INTERVAL, T0, (e, now) -> {
            seen.add(now);
            return farAway.visit(e, now);
        });
        wheel.watch(endpoint(), T0);
        for (long now = T0; now <= T0 + 6 * INTERVAL; now += wheel.tickNanos()) {
            wheel.advance(now);
        }
        // first visit one interval after watch, then at the wheel's reach (just under two intervals)
        assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void refusesAnIntervalThatIsNotPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new KeepaliveWheel(0, T0, (e, now) -> now));
    }
}
