package io.pinhole.proxy.dns;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DnsMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DnsMetrics metrics = new DnsMetrics(registry);

    private double queries(RecordType type, String outcome) {
        return registry.get("pinhole.dns.queries").tag("type", type.name()).tag("outcome", outcome).counter().count();
    }

    @Test
    void answersAreCountedByTypeAndOutcomeAndServerQueriesTimed() {
        metrics.answered(RecordType.SRV, new DnsAnswer.Found(List.of(), 60), 2_000_000);
        metrics.answered(RecordType.SRV, new DnsAnswer.Missing(30), 1_000_000);
        metrics.answered(RecordType.A, new DnsAnswer.Failed("timeout"), 3_000_000);
        metrics.cached(RecordType.SRV);

        assertThat(queries(RecordType.SRV, "found")).isEqualTo(1);
        assertThat(queries(RecordType.SRV, "missing")).isEqualTo(1);
        assertThat(queries(RecordType.SRV, "cached")).isEqualTo(1);
        assertThat(queries(RecordType.A, "failed")).isEqualTo(1);
        assertThat(queries(RecordType.NAPTR, "found")).as("every series exists before it is first counted").isZero();
        assertThat(registry.get("pinhole.dns.query").tag("type", "SRV").timer().count())
                .as("cache answers are not timed as server queries").isEqualTo(2);
    }

    @Test
    void gaugesReadTheCacheAndTheAvoidedHopsWhenScraped() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-06T08:00:00Z"), ZoneOffset.UTC);
        DnsCache cache = new DnsCache(clock, 10, Duration.ofSeconds(60));
        TargetHealth health = new TargetHealth(clock, Duration.ofSeconds(60));
        metrics.watch(cache, health);

        cache.put("p.example", RecordType.A, new DnsAnswer.Missing(30));
        health.failed(new Flow("192.0.2.1", 5060, "UDP"));

        assertThat(registry.get("pinhole.dns.cache.entries").gauge().value()).isEqualTo(1);
        assertThat(registry.get("pinhole.dns.avoided.hops").gauge().value()).isEqualTo(1);
    }
}
