package io.pinhole.proxy.media;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code pinhole_media_paths_total{leg,planned,actual}}: one count per leg of each ended call, the
 * same legs its CDR describes. At most 2 x 5 x 5 series; counters are cached so counting does no
 * registry look-up.
 */
public final class MediaPathMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public MediaPathMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(PathPlan paths) {
        count("caller", paths.caller());
        if (paths.callee() != null) {
            count("callee", paths.callee());
        }
    }

    private void count(String leg, LegPlan plan) {
        counters.computeIfAbsent(leg + ' ' + plan.planned() + ' ' + plan.actual(), k -> Counter.builder("pinhole.media.paths")
                .tag("leg", leg).tag("planned", plan.planned().name()).tag("actual", plan.actual().name())
                .register(registry)).increment();
    }
}
