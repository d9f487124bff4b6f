package io.pinhole.proxy.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices a relay that died under our calls fast enough to move them (issue 15: within 2 s). Every
 * {@code ping-interval} each relay carrying calls of ours gets an ng {@code ping}; when
 * {@link RelayLiveness} finds {@code misses} of them unanswered, the relay is taken out of the pool
 * (one log line there; it comes back with the pool's own health ping) and handed to
 * {@code onDead} once. Relays without calls of ours are left to the pool's slower health pings: a
 * dead idle relay costs nothing but the first offer sent to it.
 *
 * <p>Threads: the rounds and the ping answers run on this class's own thread, which alone touches
 * {@link #watched}; nothing here blocks (ng sends are non-blocking UDP). {@code onDead} is called on
 * that thread too and must hand real work elsewhere.
 */
public final class RelayWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayWatch.class);

    /** A ping sent, answered or not yet; mutable, confined to the watch thread. */
    private static final class Sent {
        final long sentAt;
        long answeredAt = -1;

        Sent(long sentAt) {
            this.sentAt = sentAt;
        }
    }

    /** What is known of one relay carrying our calls. */
    private static final class Watched {
        final ArrayDeque<Sent> pings = new ArrayDeque<>();
        boolean dead;
    }

    private final RelayPool pool;
    private final FailoverProperties settings;
    private final Consumer<Relay> onDead;
    private final Counter deaths;
    private final long allowanceMillis;
    private final int kept;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-watch");
        t.setDaemon(true);
        return t;
    });
    private final Map<Relay, Watched> watched = new HashMap<>();

    /** @param onDead told once per death of a relay carrying our calls, after it left the pool */
    public RelayWatch(RelayPool pool, FailoverProperties settings, Consumer<Relay> onDead, MeterRegistry meters) {
        this.pool = pool;
        this.settings = settings;
        this.onDead = onDead;
        this.deaths = Counter.builder("pinhole.relay.deaths")
                .description("Relays carrying calls found dead by missed pings").register(meters);
        // "Not answered before the next ping is sent": half an interval, so the scheduler's jitter
        // cannot make a ping judged at the next round look younger than the allowance.
        this.allowanceMillis = Math.max(1, settings.pingInterval().toMillis() / 2);
        this.kept = settings.misses() + 4;
        if (settings.enabled()) {
            long every = settings.pingInterval().toMillis();
            thread.scheduleAtFixedRate(this::roundSafely, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    private void roundSafely() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.error("relay liveness round failed", e);
        }
    }

    private void round() {
        List<Relay> carrying = pool.carrying();
        watched.keySet().retainAll(carrying);
        long now = now();
        for (Relay relay : carrying) {
            Watched w = watched.computeIfAbsent(relay, r -> new Watched());
            if (w.dead) {
                if (!relay.up()) {
                    continue; // its calls are being moved; the pool's health ping brings it back
                }
                w.dead = false; // back in the pool: watched afresh
                w.pings.clear();
            }
            if (RelayLiveness.dead(history(w), now, allowanceMillis, settings.misses())) {
                w.dead = true;
                deaths.increment();
                pool.markDown(relay, settings.misses() + " pings in a row unanswered (one every "
                        + settings.pingInterval().toMillis() + " ms)");
                onDead.accept(relay);
                continue;
            }
            ping(relay, w, now);
        }
    }

    private void ping(Relay relay, Watched w, long now) {
        Sent sent = new Sent(now);
        w.pings.addLast(sent);
        while (w.pings.size() > kept) {
            w.pings.removeFirst();
        }
        relay.client().send(Map.of("command", "ping")).whenCompleteAsync((reply, error) -> {
            if (error == null) {
                sent.answeredAt = now();
                pool.learn(relay, reply);
            }
        }, thread);
    }

    private static List<RelayLiveness.Ping> history(Watched w) {
        List<RelayLiveness.Ping> pings = new ArrayList<>(w.pings.size());
        for (Sent s : w.pings) {
            pings.add(new RelayLiveness.Ping(s.sentAt, s.answeredAt));
        }
        return pings;
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(2, TimeUnit.SECONDS);
    }
}
