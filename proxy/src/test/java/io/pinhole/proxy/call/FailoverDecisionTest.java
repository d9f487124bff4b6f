package io.pinhole.proxy.call;

import io.pinhole.proxy.call.FailoverDecision.Action;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What happens to one call of a dead relay. */
class FailoverDecisionTest {

    private static final String SDP = "v=0\r\n";

    @Test
    void answeredCallWithBothSdpsMoves() {
        assertThat(FailoverDecision.decide(Call.State.ANSWERED, true, SDP, SDP).action()).isEqualTo(Action.MOVE);
    }

    @Test
    void callOnAnotherRelayIsLeftAlone() {
        assertThat(FailoverDecision.decide(Call.State.ANSWERED, false, SDP, SDP).action()).isEqualTo(Action.NONE);
    }

    @Test
    void endedCallIsLeftAlone() {
        assertThat(FailoverDecision.decide(Call.State.ENDED, true, SDP, SDP).action()).isEqualTo(Action.NONE);
    }

    @Test
    void callsBeingSetUpAreReOffered() {
        assertThat(FailoverDecision.decide(Call.State.ROUTING, true, SDP, null).action())
                .isEqualTo(Action.REOFFER);
        assertThat(FailoverDecision.decide(Call.State.EARLY, true, SDP, null).action())
                .isEqualTo(Action.REOFFER);
    }

    @Test
    void callsBeingSetUpWithoutTheCallersSdpAreFailed() {
        assertThat(FailoverDecision.decide(Call.State.EARLY, true, null, null).action())
                .isEqualTo(Action.FAIL_SETUP);
    }

    @Test
    void unknownSdpCannotMove() {
        FailoverDecision.Verdict verdict = FailoverDecision.decide(Call.State.ANSWERED, true, SDP, null);
        assertThat(verdict.action()).isEqualTo(Action.END);
        assertThat(verdict.why()).contains("SDP");
    }
}
