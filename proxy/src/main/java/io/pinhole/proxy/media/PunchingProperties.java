package io.pinhole.proxy.media;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Hole punching ({@code pinhole.media.punching.*}): whether the path planner may plan it, and how
 * the proxy carries it out (relay first, then direct; see {@code io.pinhole.proxy.punch}).
 *
 * @param enabled         off: never plan PUNCH, relay instead
 * @param disabledDomains domains whose calls are never punched (either leg's domain counts)
 * @param latchWithin     how long after the answer the relay may take to latch both phones'
 *                        public media addresses; a call not latched by then stays relayed
 * @param verifyWithin    the bound: a call moved direct whose phones do not both leave the relay is
 *                        moved back within it (the audio gap a failed attempt may cause)
 * @param pollInterval    how often the relay is asked ({@code query}) while a call is punched
 */
@Validated
@ConfigurationProperties("pinhole.media.punching")
public record PunchingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("") List<String> disabledDomains,
        @DefaultValue("10s") Duration latchWithin,
        @DefaultValue("2s") Duration verifyWithin,
        @DefaultValue("200ms") Duration pollInterval) {

    public PunchingProperties {
        positive("latch-within", latchWithin);
        positive("verify-within", verifyWithin);
        positive("poll-interval", pollInterval);
        if (pollInterval.multipliedBy(4).compareTo(verifyWithin) > 0) {
            throw new IllegalArgumentException("pinhole.media.punching.poll-interval (" + pollInterval
                    + ") must be at most a quarter of verify-within (" + verifyWithin + "): the check needs several polls");
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("pinhole.media.punching." + name + " must be positive, not " + value);
        }
    }
}
