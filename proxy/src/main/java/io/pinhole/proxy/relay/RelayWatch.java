package io.pinhole.proxy.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Notices a relay that died under our calls fast enough to move them (issue 15: within 2 s). Every
 * {@code ping-interval} each relay carrying calls of ours gets an ng {@code ping}; when
 * {@link RelayLiveness} finds {@code misses} of them unanswered, the relay is taken out of the pool
 * (one log line there; it comes back when it answers a ping) and {@link DeadRelayDecision} says
 * what becomes of its calls (issue 19): with another relay up they are handed to {@code onDead} to
 * move; with none they are kept, and handed over to end only once the relay's ng port answers with
 * ICMP port unreachable or its silence reaches {@code end-after-silence}. A relay kept this way is
 * pinged on, and answering again it is back in the pool with its calls. One log line per decision.
 * Relays without calls of ours are left to the pool's slower health pings: a dead idle relay costs
 * nothing but the first offer sent to it.
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

    /** Where a relay carrying our calls stands. */
    private enum Stage {
        /** Pinged, answering as far as is known. */
        WATCHED,
        /** Found silent, no other relay up, no sign it is gone: its calls stay, it is pinged on. */
        KEPT,
        /** Its calls handed to {@code onDead} (moved or ended); left to the pool's health ping. */
        HANDED
    }

    /** What is known of one relay carrying our calls. */
    private static final class Watched {
        final ArrayDeque<Sent> pings = new ArrayDeque<>();
        Stage stage = Stage.WATCHED;
        /** Its latest answer (ms), or when the watch began when none came since. */
        long lastHeard;
        /** While {@link Stage#KEPT}: its last answer before it fell silent (ms). */
        long silentFrom;

        Watched(long now) {
            lastHeard = now;
        }

        void restart(long now) {
            stage = Stage.WATCHED;
            pings.clear();
            lastHeard = now;
        }
    }

    private final RelayPool pool;
    private final FailoverProperties settings;
    private final BiConsumer<Relay, String> onDead;
    private final Counter deaths;
    private final long allowanceMillis;
    private final int kept;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-watch");
        t.setDaemon(true);
        return t;
    });
    private final Map<Relay, Watched> watched = new HashMap<>();

    /**
     * @param onDead told once per death of a relay carrying our calls, after it left the pool, once
     *               its calls are to move or end ({@link DeadRelayDecision}), with the why in words
     */
    public RelayWatch(RelayPool pool, FailoverProperties settings, BiConsumer<Relay, String> onDead,
                      MeterRegistry meters) {
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
            Watched w = watched.computeIfAbsent(relay, r -> new Watched(now));
            if (w.stage == Stage.HANDED) {
                if (!relay.up()) {
                    continue; // its calls are being moved or ended; the pool's health ping brings it back
                }
                w.restart(now); // back in the pool: watched afresh
            }
            boolean dead = RelayLiveness.dead(history(w), now, allowanceMillis, settings.misses());
            if (w.stage == Stage.KEPT && (!dead || relay.up())) {
                LOG.info("relay {} answers again after {} ms of silence: its {} call(s) of ours go on", relay.name(),
                        Math.max(w.lastHeard, now) - w.silentFrom, relay.active());
                pool.answeredAgain(relay);
                w.restart(now);
                dead = false;
            }
            if (dead && decide(relay, w, now)) {
                continue;
            }
            ping(relay, w, now);
        }
    }

    /** A silent relay's calls kept, moved or ended; true when handed to {@code onDead}. */
    private boolean decide(Relay relay, Watched w, long now) {
        boolean verdict = w.stage == Stage.WATCHED;
        if (verdict) {
            deaths.increment();
            pool.markDown(relay, settings.misses() + " pings in a row unanswered (one every "
                    + settings.pingInterval().toMillis() + " ms)");
        }
        long unreachable = relay.client().unreachableAt();
        DeadRelayDecision.Evidence evidence = unreachable != Long.MIN_VALUE
                && TimeUnit.NANOSECONDS.toMillis(unreachable) > w.lastHeard
                ? DeadRelayDecision.Evidence.PORT_UNREACHABLE : DeadRelayDecision.Evidence.SILENCE;
        DeadRelayDecision.Decision decision = DeadRelayDecision.decide(true, pool.otherUp(relay, Set.of()), evidence,
                Duration.ofMillis(now - w.lastHeard), settings.endAfterSilence());
        switch (decision.action()) {
            case KEEP -> {
                if (verdict) {
                    LOG.warn("relay {} missed {} pings with {} call(s) of ours: {}", relay.name(),
                            settings.misses(), relay.active(), decision.why());
                    w.silentFrom = w.lastHeard;
                }
                w.stage = Stage.KEPT;
                return false;
            }
            case MOVE -> LOG.warn("relay {} found dead with {} call(s) of ours: moving them, {}", relay.name(),
                    relay.active(), decision.why());
            case END -> LOG.warn("relay {} found gone with {} call(s) of ours and no other relay up: ending them, {}",
                    relay.name(), relay.active(), decision.why());
        }
        w.stage = Stage.HANDED;
        onDead.accept(relay, decision.why());
        return true;
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
                w.lastHeard = Math.max(w.lastHeard, sent.answeredAt);
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
