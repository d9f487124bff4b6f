package io.pinhole.proxy.call;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ended calls by CDR outcome, and how long the answered ones lasted: what answer-seizure ratio
 * (answered / ended) and average call duration are computed from. The known outcomes are
 * registered at start, at zero, so alert rules and dashboards see a series before the first call
 * (Prometheus cannot take a rate of a series that does not exist yet).
 */
final class CallOutcomeMetrics {

    /** The {@code calls.outcome} values (V5, admin-hangup from the admin API, conference-pin-refused from V11). */
    static final List<String> OUTCOMES = List.of("answered", "busy", "no-answer", "cancelled", "rejected", "failed",
            "media-timeout", "session-expired", "admin-hangup", "conference-pin-refused");

    private final MeterRegistry registry;
    private final Map<String, Counter> ended = new ConcurrentHashMap<>();
    private final Timer answeredDuration;

    CallOutcomeMetrics(MeterRegistry registry) {
        this.registry = registry;
        OUTCOMES.forEach(this::counter);
        this.answeredDuration = Timer.builder("pinhole.calls.answered.duration")
                .description("Answered calls, from answer to end (count: answered calls)").register(registry);
    }

    void count(CallRecord record) {
        counter(record.outcome() == null ? "unknown" : record.outcome()).increment();
        if (record.answeredAt() != null && record.endedAt() != null) {
            answeredDuration.record(Duration.between(record.answeredAt(), record.endedAt()));
        }
    }

    private Counter counter(String outcome) {
        return ended.computeIfAbsent(outcome, o -> Counter.builder("pinhole.calls.ended").tag("outcome", o)
                .description("Ended calls (every CDR) by outcome").register(registry));
    }
}
