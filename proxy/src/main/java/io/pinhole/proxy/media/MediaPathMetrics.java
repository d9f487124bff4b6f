package io.pinhole.proxy.media;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code pinhole_media_paths_total{leg,planned,actual}}: one count per leg of each ended call, the
 * same legs its CDR describes; {@code pinhole_media_transports_total{leg,up,down}}: what carried
 * each of those legs' media to the relay and back (its CDR's {@code *_media_transport}; up and down
 * differ for an edge agent whose UDP gets out but not in); {@code pinhole_media_direct_share}: each
 * answered call's share of media that went direct. At most 2 x 5 x 5 and 2 x 4 x 4 series; counters
 * are cached so counting does no registry look-up.
 */
public final class MediaPathMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final DistributionSummary directShare;

    public MediaPathMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.directShare = DistributionSummary.builder("pinhole.media.direct.share")
                .description("share of each answered call's duration its media went direct (0 to 1)").register(registry);
    }

    /** One answered call's direct share, as its CDR has it: the summary's mean is the share over calls. */
    public void directShare(double share) {
        directShare.record(share);
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
        counters.computeIfAbsent(leg + ' ' + plan.up() + '/' + plan.transport(), k -> Counter.builder("pinhole.media.transports")
                .tag("leg", leg).tag("up", plan.up().wire()).tag("down", plan.transport().wire())
                .register(registry)).increment();
    }
}
