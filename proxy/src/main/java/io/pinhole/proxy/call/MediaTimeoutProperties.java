package io.pinhole.proxy.call;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How often the proxy asks its relays which of its calls they still carry
 * ({@code pinhole.media.timeout-check-interval}); see {@link MediaTimeoutWatch}. A record of its own
 * beside the relay pool's {@code RelayProperties}: the same prefix, read by the call layer only.
 *
 * @param timeoutCheckInterval time between two checks of a relay, at least 1s; 0 switches the check
 *                             off (calls whose media died then stay up until a phone hangs up)
 */
@ConfigurationProperties("pinhole.media")
public record MediaTimeoutProperties(@DefaultValue("5s") Duration timeoutCheckInterval) {

    public MediaTimeoutProperties {
        if (timeoutCheckInterval == null || timeoutCheckInterval.isNegative()
                || !timeoutCheckInterval.isZero() && timeoutCheckInterval.compareTo(Duration.ofSeconds(1)) < 0
                || timeoutCheckInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pinhole.media.timeout-check-interval must be 0 (off) or between 1s"
                    + " and 1h, was " + timeoutCheckInterval);
        }
    }
}
