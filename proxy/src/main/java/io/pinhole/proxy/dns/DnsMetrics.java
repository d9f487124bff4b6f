package io.pinhole.proxy.dns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an operator watches of DNS routing: {@code pinhole_dns_queries_total{type,outcome}} (outcome
 * {@code cached}, {@code found}, {@code missing} or {@code failed}), the time of the queries that went
 * to a server ({@code pinhole_dns_query_seconds{type}}), targets resolved or not
 * ({@code pinhole_dns_resolutions_total{outcome}}), and gauges of the cache and of the hops avoided
 * after failing. Every series is registered here once, so counting does no registry look-up.
 */
public final class DnsMetrics {

    /** How one question was answered. */
    enum Outcome {
        CACHED, FOUND, MISSING, FAILED;

        static Outcome of(DnsAnswer answer) {
            return answer instanceof DnsAnswer.Found ? FOUND : answer instanceof DnsAnswer.Missing ? MISSING : FAILED;
        }
    }

    private final MeterRegistry registry;
    private final Map<RecordType, Map<Outcome, Counter>> queries = new EnumMap<>(RecordType.class);
    private final Map<RecordType, Timer> durations = new EnumMap<>(RecordType.class);
    private final Counter resolved;
    private final Counter unresolved;

    public DnsMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (RecordType type : RecordType.values()) {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Counter.builder("pinhole.dns.queries")
                        .description("DNS questions asked for SIP routing, by record type and how they were answered")
                        .tag("type", type.name()).tag("outcome", outcome.name().toLowerCase()).register(registry));
            }
            queries.put(type, byOutcome);
            durations.put(type, Timer.builder("pinhole.dns.query")
                    .description("time of DNS questions sent to a server (not those answered from the cache)")
                    .tag("type", type.name()).register(registry));
        }
        resolved = resolutions("resolved");
        unresolved = resolutions("unresolved");
    }

    private Counter resolutions(String outcome) {
        return Counter.builder("pinhole.dns.resolutions")
                .description("SIP targets given as names, resolved to hops (RFC 3263) or not")
                .tag("outcome", outcome).register(registry);
    }

    void cached(RecordType type) {
        queries.get(type).get(Outcome.CACHED).increment();
    }

    void answered(RecordType type, DnsAnswer answer, long nanos) {
        queries.get(type).get(Outcome.of(answer)).increment();
        durations.get(type).record(nanos, TimeUnit.NANOSECONDS);
    }

    void resolution(Resolution resolution) {
        (resolution instanceof Resolution.Hops ? resolved : unresolved).increment();
    }

    /** Gauges read when scraped, not kept up to date by the hot path. */
    public void watch(DnsCache cache, TargetHealth health) {
        Gauge.builder("pinhole.dns.cache.entries", cache, DnsCache::size)
                .description("DNS answers kept for their TTL").register(registry);
        Gauge.builder("pinhole.dns.avoided.hops", health, TargetHealth::avoidedCount)
                .description("next hops tried last because they failed lately (timeout, 503, refused)")
                .register(registry);
    }
}
