package io.pinhole.proxy.keepalive;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * NAT pings from the proxy to registered phones behind NAT ({@code pinhole.keepalive.*}), the
 * job Kamailio's nathelper does with {@code natping_interval} and {@code sipping_method}.
 *
 * @param enabled   ping at all
 * @param interval  how often each binding is pinged; below the 30 s Linux conntrack gives a UDP
 *                  mapping that saw one request/response, and spread over the interval
 * @param maxMissed unanswered pings in a row after which a binding is marked unreachable (it is
 *                  kept, shown by the admin API and skipped when forking while another binding
 *                  of the same user answers)
 * @param natOnly   ping only bindings whose flow shows NAT (Contact differs from the packet's
 *                  source); false pings every UDP/TCP binding
 */
@Validated
@ConfigurationProperties("pinhole.keepalive")
public record KeepaliveProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20s") Duration interval,
        @DefaultValue("3") @Min(1) @Max(100) int maxMissed,
        @DefaultValue("true") boolean natOnly) {

    public KeepaliveProperties {
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pinhole.keepalive.interval must be between 1s and 1h, was " + interval);
        }
        if (maxMissed < 1) {
            throw new IllegalArgumentException("pinhole.keepalive.max-missed must be >= 1, was " + maxMissed);
        }
    }
}
