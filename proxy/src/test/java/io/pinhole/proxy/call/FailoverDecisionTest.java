package io.pinhole.proxy.call;

import io.pinhole.proxy.call.FailoverDecision.Action;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What happens to one call of a dead relay. */
class FailoverDecisionTest {

    private static final String SDP = "v=0\r\n";

    @Test
    void answeredCallWithBothSdpsMoves() {
        assertThat(FailoverDecision.decide(Call.State.ANSWERED, true, false, SDP, SDP).action()).isEqualTo(Action.MOVE);
    }

    @Test
    void callOnAnotherRelayIsLeftAlone() {
        assertThat(FailoverDecision.decide(Call.State.ANSWERED, false, false, SDP, SDP).action()).isEqualTo(Action.NONE);
    }

    @Test
    void endedCallIsLeftAlone() {
        assertThat(FailoverDecision.decide(Call.State.ENDED, true, false, SDP, SDP).action()).isEqualTo(Action.NONE);
    }

    @Test
    void callsBeingSetUpAreReOffered() {
        assertThat(FailoverDecision.decide(Call.State.ROUTING, true, false, SDP, null).action())
                .isEqualTo(Action.REOFFER);
        assertThat(FailoverDecision.decide(Call.State.EARLY, true, false, SDP, null).action())
                .isEqualTo(Action.REOFFER);
    }

    @Test
    void callsBeingSetUpWithoutTheCallersSdpOrOnAStreamAreFailed() {
        assertThat(FailoverDecision.decide(Call.State.EARLY, true, false, null, null).action())
                .isEqualTo(Action.FAIL_SETUP);
        FailoverDecision.Verdict stream = FailoverDecision.decide(Call.State.EARLY, true, true, SDP, null);
        assertThat(stream.action()).isEqualTo(Action.FAIL_SETUP);
        assertThat(stream.why()).contains("stream connection");
    }

    @Test
    void streamLegCannotMove() {
        FailoverDecision.Verdict verdict = FailoverDecision.decide(Call.State.ANSWERED, true, true, SDP, SDP);
        assertThat(verdict.action()).isEqualTo(Action.END);
        assertThat(verdict.why()).contains("stream connection");
    }

    @Test
    void unknownSdpCannotMove() {
        FailoverDecision.Verdict verdict = FailoverDecision.decide(Call.State.ANSWERED, true, false, SDP, null);
        assertThat(verdict.action()).isEqualTo(Action.END);
        assertThat(verdict.why()).contains("SDP");
    }
}
