package io.pinhole.proxy.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The highest nonce-count seen per nonce, so a captured request cannot be replayed
 * (RFC 2617 §3.2.2). Entries are forgotten once their nonce is too old to be accepted anyway.
 */
public final class NonceCounts {

    private record Seen(long count, long firstSeenMillis) {
    }

    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration keep;

    public NonceCounts(Clock clock, Duration keep) {
        this.clock = clock;
        this.keep = keep;
    }

    /** True when {@code count} is higher than any count used before with this nonce. */
    public boolean accept(String nonce, long count) {
        long now = clock.millis();
        boolean[] accepted = {false};
        seen.compute(nonce, (n, previous) -> {
            if (previous == null) {
                accepted[0] = true;
                return new Seen(count, now);
            }
            if (count > previous.count()) {
                accepted[0] = true;
                return new Seen(count, previous.firstSeenMillis());
            }
            return previous;
        });
        return accepted[0];
    }

    public void purgeExpired() {
        long cutoff = clock.millis() - keep.toMillis();
        seen.values().removeIf(s -> s.firstSeenMillis() < cutoff);
    }

    int size() {
        return seen.size();
    }
}
