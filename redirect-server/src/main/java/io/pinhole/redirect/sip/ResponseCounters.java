package io.pinhole.redirect.sip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code pinhole.redirect.responses{status}}: what the server answers, for the Prometheus scrape. */
final class ResponseCounters {

    private final MeterRegistry registry;
    private final Map<Integer, Counter> counters = new ConcurrentHashMap<>();

    ResponseCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(int statusCode) {
        counters.computeIfAbsent(statusCode, code -> Counter.builder("pinhole.redirect.responses")
                .description("answers sent, by status code")
                .tag("status", Integer.toString(code))
                .register(registry)).increment();
    }
}
