package io.pinhole.proxy.sip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Counts SIP messages in and out; counters are cached so the hot path does no registry look-up. */
@Component
public class SipMetrics {

    private static final Set<String> KNOWN_METHODS = Set.of("INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS",
            "INFO", "UPDATE", "PRACK", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH");

    private final MeterRegistry registry;
    private final Map<String, Counter> requestsIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> responsesIn = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> responsesOut = new ConcurrentHashMap<>();
    private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();

    public SipMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void requestIn(String method) {
        // Unknown methods share one label, so a flood of invented methods cannot grow the registry.
        String label = KNOWN_METHODS.contains(method) ? method : "other";
        requestsIn.computeIfAbsent(label, m -> Counter.builder("pinhole.sip.requests")
                .tag("direction", "in").tag("method", m).register(registry)).increment();
    }

    public void responseIn(int status) {
        String label = (status / 100) + "xx";
        responsesIn.computeIfAbsent(label, s -> Counter.builder("pinhole.sip.responses")
                .tag("direction", "in").tag("status", s).register(registry)).increment();
    }

    public void responseOut(int status) {
        responsesOut.computeIfAbsent(status / 100, s -> Counter.builder("pinhole.sip.responses")
                .tag("direction", "out").tag("status", s + "xx").register(registry)).increment();
    }

    private final Map<String, Counter> callsRejected = new ConcurrentHashMap<>();

    public void callRejected(String reason) {
        callsRejected.computeIfAbsent(reason, r -> Counter.builder("pinhole.calls.rejected")
                .tag("reason", r).register(registry)).increment();
    }

    public void authFailure(String reason) {
        authFailures.computeIfAbsent(reason, r -> Counter.builder("pinhole.auth.failures")
                .tag("reason", r).register(registry)).increment();
    }
}
