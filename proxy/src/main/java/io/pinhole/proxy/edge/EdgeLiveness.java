package io.pinhole.proxy.edge;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether an edge agent is alive, from when it last answered the proxy's heartbeat (or logged in):
 * dead once it has been silent for {@code misses} heartbeat intervals and a bit (a heartbeat sent
 * just before the bound gets its round trip). Pure: the heartbeat thread acts on the verdict.
 */
final class EdgeLiveness {

    /** Time a heartbeat's answer may take beyond its interval before it counts as missed. */
    static final Duration GRACE = Duration.ofSeconds(2);

    /** @param silentFor since the agent's last answer; {@code reason} says why it is dead, null while alive */
    record Verdict(boolean dead, Duration silentFor, String reason) {
    }

    private EdgeLiveness() {
    }

    static Verdict judge(Instant lastHeard, Instant now, Duration interval, int misses) {
        Duration silent = Duration.between(lastHeard, now);
        Duration bound = interval.multipliedBy(misses).plus(GRACE);
        if (silent.compareTo(bound) <= 0) {
            return new Verdict(false, silent, null);
        }
        return new Verdict(true, silent, "no answer to its heartbeats for " + silent.toSeconds() + " s (" + misses
                + " missed at " + interval.toMillis() + " ms; pinhole.edge.heartbeat-interval, pinhole.edge.misses)");
    }
}
