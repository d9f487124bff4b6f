package io.pinhole.proxy.edge;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeLivenessTest {

    private static final Instant HEARD = Instant.parse("2026-12-06T04:00:00Z");
    private static final Duration EVERY = Duration.ofSeconds(15);

    @Test
    void aliveWithinItsMissesAndTheGrace() {
        EdgeLiveness.Verdict v = EdgeLiveness.judge(HEARD, HEARD.plusSeconds(47), EVERY, 3);
        assertThat(v.dead()).isFalse();
        assertThat(v.reason()).isNull();
    }

    @Test
    void deadPastThemSayingWhy() {
        EdgeLiveness.Verdict v = EdgeLiveness.judge(HEARD, HEARD.plusSeconds(48), EVERY, 3);
        assertThat(v.dead()).isTrue();
        assertThat(v.silentFor()).isEqualTo(Duration.ofSeconds(48));
        assertThat(v.reason()).isEqualTo("no answer to its heartbeats for 48 s (3 missed at 15000 ms;"
                + " pinhole.edge.heartbeat-interval, pinhole.edge.misses)");
    }

    @Test
    void oneMissAtAShortIntervalIsEnoughWhenSoSet() {
        assertThat(EdgeLiveness.judge(HEARD, HEARD.plusMillis(2_600), Duration.ofMillis(500), 1).dead()).isTrue();
        assertThat(EdgeLiveness.judge(HEARD, HEARD.plusMillis(2_400), Duration.ofMillis(500), 1).dead()).isFalse();
    }

    @Test
    void heartbeatCallIdsNameTheirAgent() {
        assertThat(HeartbeatAnswers.agentOf("edge-hb-0f6b1c2e-4a1d-4c36-9a55-1e2b3c4d5e6f-17@203.0.113.1"))
                .isEqualTo("0f6b1c2e-4a1d-4c36-9a55-1e2b3c4d5e6f");
        assertThat(HeartbeatAnswers.agentOf("edge-hb-x")).isNull();
    }
}
