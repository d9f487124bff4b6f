package io.pinhole.proxy.relay;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the proxy notices a relay that died under its calls ({@code pinhole.media.failover.*}); see
 * {@link RelayWatch}. A record of its own beside {@link RelayProperties}, so adding it changed no
 * existing constructor.
 *
 * @param enabled      whether relays carrying our calls are watched and their calls moved when one dies
 * @param pingInterval how often each relay carrying our calls gets an ng {@code ping}; a ping not
 *                     answered before the next one is sent counts as missed
 * @param misses       missed pings in a row that make a relay dead. With 400ms and 3, a relay killed
 *                     just after answering is found dead 1.6 s later at most (1.2 s at least), and a
 *                     relay must stay silent for more than 1.2 s to be declared dead
 * @param movesPerSecond how many of a dead relay's calls start moving per second: each move is two
 *                     ng commands to the new relay and a re-INVITE to each phone, so a relay that
 *                     dies with thousands of calls must not turn into one burst of them
 * @param endAfterSilence with no other relay up to move them to, how long the calls of a relay that
 *                     missed its pings are kept while it stays silent without sign of being gone
 *                     (ICMP port unreachable ends them at once): a relay starved of CPU or stopped
 *                     for a moment goes on with them when it answers again. See {@link DeadRelayDecision}
 */
@ConfigurationProperties("pinhole.media.failover")
public record FailoverProperties(@DefaultValue("true") boolean enabled,
                                 @DefaultValue("400ms") Duration pingInterval,
                                 @DefaultValue("3") int misses,
                                 @DefaultValue("200") int movesPerSecond,
                                 @DefaultValue("20s") Duration endAfterSilence) {

    /** Before {@code end-after-silence} existed: its default. */
    public FailoverProperties(boolean enabled, Duration pingInterval, int misses, int movesPerSecond) {
        this(enabled, pingInterval, misses, movesPerSecond, Duration.ofSeconds(20));
    }

    @ConstructorBinding
    public FailoverProperties {
        if (pingInterval == null || pingInterval.compareTo(Duration.ofMillis(50)) < 0
                || pingInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("pinhole.media.failover.ping-interval must be between 50ms and 1m, was "
                    + pingInterval);
        }
        if (misses < 1 || misses > 100) {
            throw new IllegalArgumentException("pinhole.media.failover.misses must be between 1 and 100, was " + misses);
        }
        if (movesPerSecond < 1 || movesPerSecond > 100_000) {
            throw new IllegalArgumentException("pinhole.media.failover.moves-per-second must be between 1 and 100000, was "
                    + movesPerSecond);
        }
        if (endAfterSilence == null || endAfterSilence.compareTo(Duration.ofSeconds(1)) < 0
                || endAfterSilence.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pinhole.media.failover.end-after-silence must be between 1s and 1h, was "
                    + endAfterSilence);
        }
    }

    /**
     * How long to wait before starting the next move, {@code started} moves having been started
     * {@code elapsed} ago: move n starts no earlier than n / movesPerSecond after the first.
     */
    public Duration pause(int started, Duration elapsed) {
        long dueNanos = started * 1_000_000_000L / movesPerSecond;
        return Duration.ofNanos(Math.max(0, dueNanos - elapsed.toNanos()));
    }

    /** The longest time from a relay's death to the verdict: its last answered ping, then {@code misses} more rounds. */
    public Duration worstDetection() {
        return pingInterval.multipliedBy(misses + 1L);
    }
}
