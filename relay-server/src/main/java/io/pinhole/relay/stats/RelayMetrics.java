package io.pinhole.relay.stats;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Publishes {@link RelayStatistics} as Micrometer meters (Prometheus at /actuator/prometheus). */
public final class RelayMetrics {

    private RelayMetrics() {
    }

    public static void bind(RelayStatistics s, MeterRegistry registry) {
        Gauge.builder("pinhole.relay.calls.active", s, RelayStatistics::activeCalls)
                .description("calls with relay ports allocated").register(registry);
        Gauge.builder("pinhole.relay.ports.pairs.in.use", s, RelayStatistics::portPairsInUse)
                .description("RTP/RTCP port pairs allocated").register(registry);
        Gauge.builder("pinhole.relay.packets.rate", s, RelayStatistics::packetRate)
                .description("forwarded packets per second over the last second").register(registry);
        FunctionCounter.builder("pinhole.relay.packets.forwarded", s, RelayStatistics::packets)
                .description("packets forwarded").register(registry);
        FunctionCounter.builder("pinhole.relay.bytes.forwarded", s, RelayStatistics::bytes)
                .description("bytes forwarded").register(registry);
        FunctionCounter.builder("pinhole.relay.packets.dropped", s, RelayStatistics::dropped)
                .description("packets dropped: foreign source after latching, no destination, errors")
                .register(registry);
        FunctionCounter.builder("pinhole.relay.keepalives.sent", s, RelayStatistics::keepalives)
                .description("keepalive packets sent towards quiet latched phones (not forwarded media)")
                .register(registry);
        FunctionCounter.builder("pinhole.relay.keepalives.bytes", s, RelayStatistics::keepaliveBytes)
                .description("bytes of keepalive packets (UDP payload)").register(registry);
        FunctionCounter.builder("pinhole.relay.calls.created", s, RelayStatistics::created).register(registry);
        FunctionCounter.builder("pinhole.relay.calls.timedout", s, RelayStatistics::timedOut)
                .description("calls torn down for lack of media").register(registry);
        FunctionCounter.builder("pinhole.relay.calls.deleted", s, RelayStatistics::deleted).register(registry);
    }
}
