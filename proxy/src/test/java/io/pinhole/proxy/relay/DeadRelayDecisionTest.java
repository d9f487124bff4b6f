package io.pinhole.proxy.relay;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.pinhole.proxy.relay.DeadRelayDecision.Action.END;
import static io.pinhole.proxy.relay.DeadRelayDecision.Action.KEEP;
import static io.pinhole.proxy.relay.DeadRelayDecision.Action.MOVE;
import static io.pinhole.proxy.relay.DeadRelayDecision.Evidence.PORT_UNREACHABLE;
import static io.pinhole.proxy.relay.DeadRelayDecision.Evidence.SILENCE;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 19: missed pings alone end no call when there is nowhere to move it. */
class DeadRelayDecisionTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    private static DeadRelayDecision.Decision decide(boolean dead, boolean otherUp, DeadRelayDecision.Evidence evidence,
                                                     long silentMillis) {
        return DeadRelayDecision.decide(dead, otherUp, evidence, Duration.ofMillis(silentMillis), BOUND);
    }

    @Test
    void aRelayAnsweringKeepsItsCalls() {
        assertThat(decide(false, true, SILENCE, 0).action()).isEqualTo(KEEP);
        assertThat(decide(false, false, PORT_UNREACHABLE, 30_000).action()).isEqualTo(KEEP);
    }

    @Test
    void withAnotherRelayUpTheCallsMoveWhateverTheEvidence() {
        assertThat(decide(true, true, SILENCE, 1_400).action()).isEqualTo(MOVE);
        assertThat(decide(true, true, PORT_UNREACHABLE, 1_400).action()).isEqualTo(MOVE);
        assertThat(decide(true, true, SILENCE, 1_400).why()).isEqualTo("silent for 1400 ms, another relay up");
    }

    @Test
    void withNoOtherRelaySilenceShorterThanTheBoundKeepsTheCalls() {
        DeadRelayDecision.Decision decision = decide(true, false, SILENCE, 1_400);
        assertThat(decision.action()).isEqualTo(KEEP);
        assertThat(decision.why()).contains("silent for 1400 ms").contains("no other relay up")
                .contains("silent for 20000 ms");
        assertThat(decide(true, false, SILENCE, 19_999).action()).isEqualTo(KEEP);
    }

    @Test
    void withNoOtherRelayAClosedPortEndsTheCallsAtOnce() {
        DeadRelayDecision.Decision decision = decide(true, false, PORT_UNREACHABLE, 1_200);
        assertThat(decision.action()).isEqualTo(END);
        assertThat(decision.why()).isEqualTo("its ng port closed (ICMP port unreachable)");
    }

    @Test
    void withNoOtherRelaySilenceReachingTheBoundEndsTheCalls() {
        DeadRelayDecision.Decision decision = decide(true, false, SILENCE, 20_000);
        assertThat(decision.action()).isEqualTo(END);
        assertThat(decision.why()).isEqualTo("silent for 20000 ms (end-after-silence 20000 ms)");
    }
}
