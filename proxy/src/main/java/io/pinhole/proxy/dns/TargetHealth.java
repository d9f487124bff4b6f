package io.pinhole.proxy.dns;

import io.pinhole.proxy.sip.Flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hops that failed lately (timeout, 503, refused connection): for {@code avoidFor} they are
 * tried after the other hops of a target rather than first, so every call does not wait out
 * the same dead server. Never dropped altogether: when all hops failed, they are still tried.
 */
public final class TargetHealth {

    private static final int MAX_TRACKED = 10_000;

    private final Clock clock;
    private final Duration avoidFor;
    private final Map<Flow, Instant> failedUntil = new LinkedHashMap<>();

    public TargetHealth(Clock clock, Duration avoidFor) {
        this.clock = clock;
        this.avoidFor = avoidFor;
    }

    public synchronized void failed(Flow hop) {
        Instant now = clock.instant();
        failedUntil.values().removeIf(until -> !until.isAfter(now));
        failedUntil.remove(hop); // re-inserted last: the eldest goes first when full
        failedUntil.put(hop, now.plus(avoidFor));
        if (failedUntil.size() > MAX_TRACKED) {
            Iterator<Flow> eldest = failedUntil.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    public synchronized boolean avoided(Flow hop) {
        Instant until = failedUntil.get(hop);
        return until != null && until.isAfter(clock.instant());
    }

    /** Hops avoided now (for the gauge). */
    public synchronized int avoidedCount() {
        Instant now = clock.instant();
        return (int) failedUntil.values().stream().filter(until -> until.isAfter(now)).count();
    }

    /** {@code hops} with the avoided ones moved to the end, each group in its given order. */
    public synchronized List<Flow> order(List<Flow> hops) {
        List<Flow> good = new ArrayList<>(hops.size());
        List<Flow> avoided = new ArrayList<>();
        for (Flow hop : hops) {
            (avoided(hop) ? avoided : good).add(hop);
        }
        good.addAll(avoided);
        return good;
    }
}
