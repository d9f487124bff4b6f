package io.pinhole.proxy.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts wrong answers to a challenge per user and source address. Past the limit the
 * client gets 403 instead of another 401 until the window has passed without failures:
 * a password guesser is slowed down, a phone with a wrong password stops retrying.
 */
public final class AuthFailures {

    private record Tally(int count, long lastFailureMillis) {
    }

    private final ConcurrentHashMap<String, Tally> tallies = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int limit;
    private final Duration window;

    public AuthFailures(Clock clock, int limit, Duration window) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        this.clock = clock;
        this.limit = limit;
        this.window = window;
    }

    /** Records one failure; true when the limit is now reached. */
    public boolean recordFailure(String key) {
        long now = clock.millis();
        Tally tally = tallies.compute(key, (k, previous) ->
                previous == null || expired(previous, now)
                        ? new Tally(1, now)
                        : new Tally(previous.count() + 1, now));
        return tally.count() >= limit;
    }

    public boolean blocked(String key) {
        Tally tally = tallies.get(key);
        return tally != null && !expired(tally, clock.millis()) && tally.count() >= limit;
    }

    public void reset(String key) {
        tallies.remove(key);
    }

    public void purgeExpired() {
        long now = clock.millis();
        tallies.values().removeIf(t -> expired(t, now));
    }

    private boolean expired(Tally tally, long now) {
        return now - tally.lastFailureMillis() > window.toMillis();
    }
}
