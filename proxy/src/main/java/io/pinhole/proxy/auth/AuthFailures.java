package io.pinhole.proxy.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrong answers to a challenge counted per key (see {@link AuthGuard}: an account at a source
 * address, or a source address). A key that reaches {@code limit} failures within {@code window},
 * counted from its first failure, is locked out for one window from the failure that reached the
 * limit. A tally ends with its window or its lockout, and {@link #purgeExpired()} forgets it.
 *
 * <p>Checking a key that has no tally (the usual case) is one map look-up; only failures allocate.
 */
public final class AuthFailures<K> {

    /** {@code count} failures so far; {@code untilMillis} ends the counting window, or the lockout once count >= limit. */
    private record Tally(int count, long untilMillis) {
    }

    private final ConcurrentHashMap<K, Tally> tallies = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int limit;
    private final Duration window;
    private final long windowMillis;

    public AuthFailures(Clock clock, int limit, Duration window) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.clock = clock;
        this.limit = limit;
        this.window = window;
        this.windowMillis = window.toMillis();
    }

    /**
     * Records one failure and returns the key's count, this one included: equal to {@link #limit()}
     * exactly once per lockout (the failure that starts it), above it for failures recorded while
     * locked out (they do not lengthen the lockout).
     */
    public int recordFailure(K key) {
        long now = clock.millis();
        return tallies.compute(key, (k, previous) -> {
            if (previous == null || now >= previous.untilMillis()) {
                return new Tally(1, now + windowMillis);
            }
            if (previous.count() == Integer.MAX_VALUE) {
                return previous;
            }
            int count = previous.count() + 1;
            // Reaching the limit starts the lockout: one window from now.
            return new Tally(count, count == limit ? now + windowMillis : previous.untilMillis());
        }).count();
    }

    public boolean blocked(K key) {
        Tally tally = tallies.get(key);
        return tally != null && tally.count() >= limit && clock.millis() < tally.untilMillis();
    }

    public void reset(K key) {
        tallies.remove(key);
    }

    public void purgeExpired() {
        long now = clock.millis();
        tallies.values().removeIf(t -> now >= t.untilMillis());
    }

    public int limit() {
        return limit;
    }

    public Duration window() {
        return window;
    }

    int size() {
        return tallies.size();
    }
}
