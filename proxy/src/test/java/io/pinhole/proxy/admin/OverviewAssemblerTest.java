package io.pinhole.proxy.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pinhole.proxy.call.CallRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OverviewAssemblerTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger registrations = new AtomicInteger();

    @Test
    void readsCallsRelaysRegistrationsAndErrorsFromWhatTheProxyCounts() {
        ended("answered", 3);
        ended("busy", 1);
        answered(3);
        registrations.set(7);
        Gauge.builder("pinhole.registrations.active", registrations, AtomicInteger::get).register(meters);
        List<Overview.RelayLoad> relays = List.of(new Overview.RelayLoad("r1", "up", 10, 2));
        List<Overview.LogLine> errors = List.of(new Overview.LogLine(T0, "WARN", "x", "something"));

        Overview overview = new OverviewAssembler().assemble(T0,
                List.of(call("a", "ANSWERED", "RELAY_UDP"), call("b", "EARLY", "DIRECT"),
                        call("c", "ANSWERED", "RELAY_UDP")), meters, relays, errors);

        assertThat(overview.at()).isEqualTo(T0);
        assertThat(overview.activeCalls()).isEqualTo(3);
        assertThat(overview.answeredCalls()).isEqualTo(2);
        assertThat(overview.endedCalls()).isEqualTo(4);
        assertThat(overview.answerSeizureRatio()).isEqualTo(0.75);
        assertThat(overview.mediaPaths()).isEqualTo(Map.of("DIRECT", 1, "RELAY_UDP", 2));
        assertThat(overview.relays()).isEqualTo(relays);
        assertThat(overview.registrations()).isEqualTo(7);
        assertThat(overview.recentErrors()).isEqualTo(errors);
        assertThat(overview.callsPerSecond()).as("no rate from a single look").isZero();
    }

    @Test
    void countsNewCallsPerSecondBetweenLooksEndedOrNot() {
        OverviewAssembler assembler = new OverviewAssembler();
        List<CallRegistry.LiveCall> live = new ArrayList<>();
        assembler.assemble(T0, live, meters, List.of(), List.of());

        ended("answered", 4);          // four calls came and went
        live.add(call("a", "EARLY", "DIRECT")); // and two are in progress
        live.add(call("b", "EARLY", "DIRECT"));
        Overview later = assembler.assemble(T0.plusSeconds(2), live, meters, List.of(), List.of());

        assertThat(later.callsPerSecond()).isCloseTo(3.0, within(1e-9));
        Overview soonAfter = assembler.assemble(T0.plusMillis(2100), live, meters, List.of(), List.of());
        assertThat(soonAfter.callsPerSecond()).as("a look within a second keeps the last rate").isCloseTo(3.0, within(1e-9));
        Overview quiet = assembler.assemble(T0.plusSeconds(4), live, meters, List.of(), List.of());
        assertThat(quiet.callsPerSecond()).isZero();
    }

    @Test
    void hasNoAnswerSeizureRatioBeforeTheFirstCallEnds() {
        Overview overview = new OverviewAssembler().assemble(T0, List.of(), meters, List.of(), List.of());

        assertThat(overview.answerSeizureRatio()).isNull();
        assertThat(overview.registrations()).isZero();
        assertThat(overview.mediaPaths()).isEmpty();
    }

    @Test
    void rateNeverGoesBackwards() {
        assertThat(OverviewAssembler.rate(new OverviewAssembler.Started(T0, 5),
                new OverviewAssembler.Started(T0.plus(Duration.ofSeconds(1)), 4))).isZero();
        assertThat(OverviewAssembler.ratio(0, 3)).isZero();
        assertThat(OverviewAssembler.ratio(2, 4)).isEqualTo(0.5);
    }

    private void ended(String outcome, int n) {
        Counter.builder("pinhole.calls.ended").tag("outcome", outcome).register(meters).increment(n);
    }

    private void answered(int n) {
        Timer timer = Timer.builder("pinhole.calls.answered.duration").register(meters);
        for (int i = 0; i < n; i++) {
            timer.record(Duration.ofSeconds(10));
        }
    }

    private static CallRegistry.LiveCall call(String callId, String state, String mediaPath) {
        return new CallRegistry.LiveCall(callId, "alice@x", "bob@x", state, T0, null, mediaPath, null, null, null);
    }
}
