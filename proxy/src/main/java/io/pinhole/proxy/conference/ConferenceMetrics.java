package io.pinhole.proxy.conference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;

/**
 * {@code pinhole_conference_*}: rooms and parties now, joins by result, leaves. The join results
 * are registered at zero so alert rules see the series before the first party.
 */
final class ConferenceMetrics {

    static final java.util.List<String> RESULTS = java.util.List.of("joined", "full", "pin-refused", "error");

    private final Map<String, Counter> joins;
    private final Counter leaves;

    ConferenceMetrics(MeterRegistry meters, Parties parties) {
        Gauge.builder("pinhole.conference.rooms.active", parties, Parties::rooms)
                .description("Conference rooms with at least one party on this proxy").register(meters);
        Gauge.builder("pinhole.conference.parties.active", parties, Parties::count)
                .description("Conference parties on this proxy (lobby and joining included)").register(meters);
        java.util.HashMap<String, Counter> byResult = new java.util.HashMap<>();
        for (String result : RESULTS) {
            byResult.put(result, Counter.builder("pinhole.conference.joins").tag("result", result)
                    .description("Parties that tried to join a room, by result").register(meters));
        }
        this.joins = Map.copyOf(byResult);
        this.leaves = Counter.builder("pinhole.conference.leaves")
                .description("Answered parties that left a room (hung up, were removed or refused)").register(meters);
    }

    void join(String result) {
        joins.get(result).increment();
    }

    void leave() {
        leaves.increment();
    }
}
