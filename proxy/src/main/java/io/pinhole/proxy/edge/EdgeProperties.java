package io.pinhole.proxy.edge;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the proxy notices an edge agent that died without closing its connection (a host that lost
 * power or its network): {@code pinhole.edge.*}; see {@link EdgeHeartbeats}.
 *
 * @param heartbeatInterval how often each logged-in agent gets an OPTIONS over its connection
 * @param misses            heartbeats in a row left unanswered that make the agent dead: its phones
 *                          are unreachable (480) until it answers or logs in again. With 15 s and 3,
 *                          an agent is found dead 47 to 62 s after its last answer
 * @param tokenRefresh      how often the edge agents' login tokens are read again from the database, for
 *                          tokens other proxies made or revoked (this proxy's own changes apply at once)
 */
@ConfigurationProperties("pinhole.edge")
public record EdgeProperties(@DefaultValue("15s") Duration heartbeatInterval, @DefaultValue("3") int misses,
                             @DefaultValue("10s") Duration tokenRefresh) {

    public EdgeProperties {
        if (heartbeatInterval == null || heartbeatInterval.compareTo(Duration.ofMillis(100)) < 0
                || heartbeatInterval.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("pinhole.edge.heartbeat-interval must be between 100ms and 10m, was "
                    + heartbeatInterval);
        }
        if (tokenRefresh == null || tokenRefresh.compareTo(Duration.ofMillis(100)) < 0
                || tokenRefresh.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pinhole.edge.token-refresh must be between 100ms and 1h, was "
                    + tokenRefresh);
        }
        if (misses < 1 || misses > 100) {
            throw new IllegalArgumentException("pinhole.edge.misses must be between 1 and 100, was " + misses);
        }
    }
}
