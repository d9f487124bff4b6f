package io.pinhole.proxy.media;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MediaPathMetricsTest {

    @Test
    void countsEachLegByPlannedAndActualPath() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MediaPathMetrics metrics = new MediaPathMetrics(registry);
        LegPlan punched = new LegPlan("caller", true, MediaPath.PUNCH, MediaPath.RELAY_UDP, "r");
        LegPlan relayed = new LegPlan("callee x", false, MediaPath.RELAY_UDP, MediaPath.RELAY_UDP, "r");

        metrics.count(new PathPlan(punched, relayed));
        metrics.count(new PathPlan(punched, null));

        assertThat(count(registry, "caller", "PUNCH", "RELAY_UDP")).isEqualTo(2.0);
        assertThat(count(registry, "callee", "RELAY_UDP", "RELAY_UDP")).isEqualTo(1.0);
        assertThat(registry.find("pinhole.media.paths").counters()).hasSize(2);
    }

    /** An edge agent's leg with UDP up and TLS down is counted as such, not as TLS. */
    @Test
    void countsEachLegByTransportUpAndDown() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MediaPathMetrics metrics = new MediaPathMetrics(registry);
        LegPlan split = new LegPlan("caller", true, MediaPath.RELAY_TCP, MediaPath.RELAY_TCP, "r", MediaTransport.TLS,
                MediaTransport.UDP);
        LegPlan tls = new LegPlan("callee", true, MediaPath.RELAY_TCP, MediaPath.RELAY_TCP, "r", MediaTransport.TLS);

        metrics.count(new PathPlan(split, tls));

        assertThat(registry.get("pinhole.media.transports").tag("leg", "caller").tag("up", "udp").tag("down", "tls")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("pinhole.media.transports").tag("leg", "callee").tag("up", "tls").tag("down", "tls")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.find("pinhole.media.transports").counters()).hasSize(2);
    }

    private static double count(SimpleMeterRegistry registry, String leg, String planned, String actual) {
        return registry.get("pinhole.media.paths").tag("leg", leg).tag("planned", planned).tag("actual", actual)
                .counter().count();
    }
}
