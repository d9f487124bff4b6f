package io.pinhole.proxy.probe;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunningProbesTest {

    private final RunningProbes running = new RunningProbes();

    private static Probe probe(long id, long sentMillis) {
        Binding binding = new Binding(1, "u@example.test", "sip:u@10.0.0.1", "sip:u@10.0.0.1:5060", "c", 1, null, 600,
                Instant.parse("2026-12-05T12:10:00Z"), new Flow("203.0.113.7", 40000, "UDP"), null, null, "test");
        Probe probe = new Probe(id, binding, NatVerdict.PUBLIC, 0);
        probe.sentMillis = sentMillis;
        return probe;
    }

    @Test
    void anAnswerOnTheFlowIsCreditedToItsProbe() {
        Probe probe = probe(7, 1_000);
        running.add(probe);

        running.answered("nat-probe-7@192.0.2.1");

        assertThat(probe.answeredOnFlow).isTrue();
        assertThat(probe.answeredUnsolicited).isFalse();
    }

    @Test
    void answersToUnknownOrMangledProbesCreditNothing() {
        Probe probe = probe(7, 1_000);
        running.add(probe);

        running.answered("nat-probe-8@192.0.2.1");
        running.answered("nat-probe-7-alt@192.0.2.1");
        running.answered("nat-probe-@192.0.2.1");
        running.answered("nat-probe-");

        assertThat(probe.answeredOnFlow).isFalse();
    }

    @Test
    void handsOutTheProbesWhoseTimeIsUp() {
        running.add(probe(1, 1_000));
        running.add(probe(2, 2_500));

        assertThat(running.takeTimedOut(3_000, 2_000)).extracting(p -> p.id).containsExactly(1L);
        assertThat(running.byId(1)).isNull();
        assertThat(running.byId(2)).isNotNull();
        assertThat(running.callIdPrefix()).isEqualTo("nat-probe-");
    }
}
