package io.pinhole.proxy.relay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pinhole.proxy.database.DatabaseStatus;
import io.pinhole.proxy.media.MediaPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The liveness watch against a relay on a real ng socket that answers pings, then falls silent. */
class RelayWatchTest {

    /** Silent for a second with no other relay up: its calls are given up. */
    private static final FailoverProperties SETTINGS = new FailoverProperties(true, Duration.ofMillis(100), 3, 200,
            Duration.ofSeconds(1));

    private final PingAnswerer relay = new PingAnswerer();
    // the pool's own health pings hourly: only the watch pings during a test (and the pool's one
    // ping of a relay joining it, which reads what it serves)
    private final RelayPool pool = new RelayPool(new RelayRepository(null) {
        @Override
        public List<RelayRow> enabled() {
            return List.of();
        }
    }, new RelayProperties(MediaPolicy.AUTO, "127.0.0.1:" + relay.port(), "", Duration.ofMillis(300),
            Duration.ofHours(1), Duration.ofHours(1), List.of()), new DatabaseStatus(Clock.systemUTC()));
    private final List<Relay> dead = new CopyOnWriteArrayList<>();
    private final List<String> causes = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RelayWatch watch = new RelayWatch(pool, SETTINGS, (relay, why) -> {
        dead.add(relay);
        causes.add(why);
    }, meters);

    @AfterEach
    void stop() throws InterruptedException {
        watch.close();
        pool.close();
        relay.close();
    }

    @Test
    void anAnsweringRelayStaysAlive() throws InterruptedException {
        Relay carrying = pool.acquire().orElseThrow();

        Thread.sleep(1000);

        assertThat(dead).isEmpty();
        assertThat(carrying.up()).isTrue();
        assertThat(relay.pings.get()).as("about one ping per 100 ms").isBetween(5, 12);
    }

    /**
     * Issue 19: the only relay falls silent (as one starved of CPU does): out of the pool within the
     * bound, but its calls are kept, and handed over (to end) only once it stayed silent for
     * end-after-silence, once.
     */
    @Test
    void aSilentRelayWithNoOtherUpIsMarkedDownAtOnceButItsCallsGoOnlyAtTheSilenceBound() throws InterruptedException {
        Relay carrying = pool.acquire().orElseThrow();
        Thread.sleep(300);

        long silentAt = System.nanoTime();
        relay.silent = true;
        eventually(Duration.ofSeconds(2), () -> !carrying.up(), "the relay marked down");
        long downMillis = (System.nanoTime() - silentAt) / 1_000_000;
        // (misses + 1) × interval, and a little for the scheduler on a busy machine
        assertThat(downMillis).isLessThanOrEqualTo(SETTINGS.worstDetection().toMillis() + 150);
        assertThat(downMillis).as("not before three pings went unanswered").isGreaterThanOrEqualTo(250);
        assertThat(carrying.lastProblem().reason()).contains("3 pings in a row unanswered");
        assertThat(pool.acquire()).as("no relay for new calls").isEmpty();
        assertThat(dead).as("its calls kept: silence alone, nowhere to move them").isEmpty();

        eventually(Duration.ofSeconds(3), () -> !dead.isEmpty(), "the calls handed over at the silence bound");
        long handedMillis = (System.nanoTime() - silentAt) / 1_000_000;
        // silence counts from its last answer, up to one ping interval before it fell silent here
        assertThat(handedMillis).as("not before end-after-silence").isGreaterThanOrEqualTo(
                1000 - SETTINGS.pingInterval().toMillis());
        assertThat(handedMillis).isLessThanOrEqualTo(1000 + 2 * SETTINGS.pingInterval().toMillis() + 150);
        Thread.sleep(500);
        assertThat(dead).containsExactly(carrying);
        assertThat(causes.get(0)).contains("silent for").contains("end-after-silence 1000 ms");
        assertThat(meters.get("pinhole.relay.deaths").counter().count()).isEqualTo(1.0);
    }

    /** A relay whose ng socket is closed (its process gone) answers with ICMP: its calls go at the verdict. */
    @Test
    void aRelayWhosePortIsClosedIsHandedOverAtTheVerdict() throws InterruptedException {
        Relay carrying = pool.acquire().orElseThrow();
        Thread.sleep(300);

        long closedAt = System.nanoTime();
        relay.close();
        eventually(Duration.ofSeconds(2), () -> !dead.isEmpty(), "the relay's calls handed over");
        long tookMillis = (System.nanoTime() - closedAt) / 1_000_000;

        assertThat(tookMillis).isLessThanOrEqualTo(SETTINGS.worstDetection().toMillis() + 150);
        assertThat(carrying.up()).isFalse();
        assertThat(causes).containsExactly("its ng port closed (ICMP port unreachable)");
    }

    /** A relay kept through its silence that answers again is back in the pool with its calls. */
    @Test
    void aKeptRelayThatAnswersAgainIsBackInThePoolWithItsCalls() throws InterruptedException {
        Relay carrying = pool.acquire().orElseThrow();
        Thread.sleep(300);

        relay.silent = true;
        eventually(Duration.ofSeconds(2), () -> !carrying.up(), "the relay marked down");
        Thread.sleep(200);
        relay.silent = false;
        eventually(Duration.ofSeconds(1), carrying::up, "back in the pool");
        Thread.sleep(1200); // past end-after-silence from its first silence

        assertThat(dead).as("its calls never handed over").isEmpty();
        assertThat(carrying.up()).isTrue();
    }

    @Test
    void aRelayWithoutOurCallsIsNotPinged() throws InterruptedException {
        // the pool asks a relay joining it once what it serves; the watch itself leaves it alone
        eventually(Duration.ofSeconds(2), () -> relay.pings.get() == 1, "the pool's first ping");
        relay.pings.set(0);
        Thread.sleep(600);

        assertThat(relay.pings.get()).isZero();
        assertThat(dead).isEmpty();
    }

    /** Answers every ng ping with pong until told to fall silent. */
    private static final class PingAnswerer implements AutoCloseable {
        private final ScriptedNgRelay peer;
        final AtomicInteger pings = new AtomicInteger();
        volatile boolean silent;

        PingAnswerer() {
            try {
                peer = new ScriptedNgRelay("ping-answerer", (cookie, command) -> {
                    if (!"ping".equals(command.get("command"))) {
                        return null;
                    }
                    pings.incrementAndGet();
                    return silent ? null : Map.of("result", "pong");
                });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        int port() {
            return peer.port();
        }

        @Override
        public void close() {
            peer.close();
        }
    }
}
