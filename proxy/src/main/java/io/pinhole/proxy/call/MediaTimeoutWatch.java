package io.pinhole.proxy.call;

import io.pinhole.proxy.relay.MediaSession;
import io.pinhole.proxy.relay.Relay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Hangs up calls whose media died at the relay. A relay (ours, or rtpengine with
 * {@code --timeout}) deletes a call that had no RTP for its media timeout (its longer hold
 * timeout while on hold) and tells nobody; the phones would stay in a silent call for good.
 *
 * <p>How the proxy learns it: every {@code pinhole.media.timeout-check-interval}, on this class's
 * own thread, one ng {@code list} per relay that carries our established calls, compared with
 * those calls. A call answered less than one interval ago is not judged (its relay state may be
 * younger than the reply). What the reply no longer holds is hung up: BYE to both sides, CDR
 * outcome {@code media-timeout}, the relay delete that every end sends. A relay that lost its
 * state on a restart looks the same, and its calls' media is as dead. A reply that does not come
 * (relay down, or too large) judges nothing.
 *
 * <p>Why a poll and not a notification: rtpengine tells a timeout only to an XML-RPC B2BUA
 * ({@code --b2b-url}) and our relay not at all; {@code list} means the same in both and costs
 * one round trip per relay, whatever the number of calls.
 *
 * <p>The bound: a {@code list} reply is one UDP datagram, and both relays silently fail to send
 * one past ~64 KB (measured: 1,000 Call-IDs of 51 bytes answered in 2-3 ms, 1,400 never
 * answered). So the limit asked for follows the Call-ID sizes seen ({@link RelayCallCheck}), and
 * a reply that comes back full may have left some of our calls out: those are asked about one
 * by one ({@code query}, "Unknown call-id" = gone), at most {@value #QUERIES_PER_ROUND} per relay
 * and round, in turn.
 *
 * <p>Cost, measured on the 2-core development machine: a {@code list} of 1,000 Call-IDs (54 KB)
 * takes 2-3 ms round trip at either relay, 1.1 ms to decode here, and 0.4 ms to compare with
 * 1,000 calls (5.7 ms with 10,000, 14 ms with 50,000, mostly sorting what is left open). At the
 * default 5 s that is one command per relay every 5 s while a relay holds up to ~1,000 calls. Past
 * that, up to 100 queries a second per relay on top, and a dead call beyond the list's reach is
 * found within (open calls / {@value #QUERIES_PER_ROUND}) rounds instead of one.
 *
 * <p>Threads: the round, the replies' continuations and the hang-ups run on this class's thread
 * (never the ng receiver's or a SIP stack's); the maps below are confined to it.
 */
final class MediaTimeoutWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaTimeoutWatch.class);
    static final int QUERIES_PER_ROUND = 500;

    private final CallRegistry registry;
    private final Predicate<Call> hangUp;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "media-timeout-check");
        t.setDaemon(true);
        return t;
    });
    private final Map<Relay, Integer> limits = new HashMap<>();
    private final Map<Relay, String> queryCursors = new HashMap<>();
    private final Set<Relay> listing = new HashSet<>();

    /**
     * @param hangUp ends a call as {@code media-timeout} ({@link CallHangup}); false when it had
     *               already ended
     */
    MediaTimeoutWatch(CallRegistry registry, Predicate<Call> hangUp, Duration interval, Clock clock) {
        this.registry = registry;
        this.hangUp = hangUp;
        this.interval = interval;
        this.clock = clock;
        if (!interval.isZero()) {
            thread.scheduleWithFixedDelay(this::roundSafely, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** One round now, on this class's thread (tests; the schedule goes on as before). */
    void checkNow() {
        thread.execute(this::roundSafely);
    }

    private void roundSafely() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.error("media timeout check failed", e);
        }
    }

    /** One check of every relay that carries established calls of ours. */
    void round() {
        Map<Relay, Map<String, Call>> byRelay = establishedByRelay(clock.instant().minus(interval));
        limits.keySet().retainAll(byRelay.keySet());
        queryCursors.keySet().retainAll(byRelay.keySet());
        byRelay.forEach(this::check);
    }

    private Map<Relay, Map<String, Call>> establishedByRelay(Instant answeredBefore) {
        Map<Relay, Map<String, Call>> byRelay = new HashMap<>();
        for (Call call : registry.calls()) {
            MediaSession media = call.media;
            if (media == null) {
                continue;
            }
            synchronized (call) {
                // A punched call's media bypasses the relay by design: its silence there is no timeout.
                if (call.state != Call.State.ANSWERED || call.answeredAt.isAfter(answeredBefore) || call.direct()) {
                    continue;
                }
            }
            byRelay.computeIfAbsent(media.relay(), r -> new HashMap<>()).put(call.callerCallId, call);
        }
        return byRelay;
    }

    private void check(Relay relay, Map<String, Call> ours) {
        // A relay still answering the last round's list is not asked again: slow replies must
        // not pile up commands on it.
        if (!relay.up() || !listing.add(relay)) {
            return;
        }
        int limit = limits.getOrDefault(relay, RelayCallCheck.FIRST_LIMIT);
        CompletableFuture<List<String>> reply;
        try {
            reply = relay.client().list(limit);
        } catch (RuntimeException e) {
            listing.remove(relay); // else this relay would never be checked again
            throw e;
        }
        reply.whenCompleteAsync((listed, error) -> {
            listing.remove(relay);
            try {
                judge(relay, ours, limit, error == null ? listed : null);
            } catch (RuntimeException e) {
                LOG.error("media timeout check of relay {} failed", relay.name(), e);
            }
        }, thread);
    }

    private void judge(Relay relay, Map<String, Call> ours, int limit, List<String> listed) {
        limits.put(relay, RelayCallCheck.nextLimit(limit, listed));
        RelayCallCheck.Verdict verdict = RelayCallCheck.judge(ours.keySet(), listed, limit);
        for (String callId : verdict.gone()) {
            end(ours.get(callId), relay, "no longer listed");
        }
        if (listed == null && !relay.up()) {
            return; // down: the pool's pings find out when it is back
        }
        List<String> ask = RelayCallCheck.toQuery(verdict.unsure(), queryCursors.get(relay), QUERIES_PER_ROUND);
        if (!ask.isEmpty()) {
            queryCursors.put(relay, ask.get(ask.size() - 1));
        }
        for (String callId : ask) {
            Call call = ours.get(callId);
            call.media.query().whenCompleteAsync((reply, error) -> {
                if (error != null && RelayCallCheck.unknownCall(error)) {
                    end(call, relay, "unknown to its query");
                }
            }, thread);
        }
    }

    private void end(Call call, Relay relay, String how) {
        MediaSession media = call.media;
        if (media == null || media.relay() != relay) {
            return;
        }
        if (hangUp.test(call)) {
            LOG.info("call {} {} -> {}: relay {} dropped its media ({}), hung up", call.callerCallId, call.caller,
                    call.callee, relay.name(), how);
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        // A round still sending must not meet the relay pool's closed timer half-way.
        thread.awaitTermination(2, TimeUnit.SECONDS);
    }
}
