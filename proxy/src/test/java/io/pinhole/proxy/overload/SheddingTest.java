package io.pinhole.proxy.overload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SheddingTest {

    private final Shedding shedding = new Shedding(400, 200);

    @Test
    void withinEveryLimitNewCallsCome() {
        assertThat(shedding.cause(Load.IDLE)).isEqualTo(Shedding.Cause.NONE);
        assertThat(shedding.cause(new Load(400, 400, 200))).as("the limits themselves").isEqualTo(Shedding.Cause.NONE);
    }

    @Test
    void receivedMessagesWaitingPastTheLimitRefuse() {
        assertThat(shedding.cause(new Load(401, 0, 0))).isEqualTo(Shedding.Cause.RECEIVE_BACKLOG);
    }

    /** What 1,300 calls/s on 2 cores showed: the SIP workers' queue short, the relay late. */
    @Test
    void aLateRelayRefusesWhileTheSipQueueIsShort() {
        assertThat(shedding.cause(new Load(5, 0, 201))).isEqualTo(Shedding.Cause.RELAY_LATE);
    }

    @Test
    void relayRepliesWaitingForACallbackThreadRefuse() {
        assertThat(shedding.cause(new Load(0, 401, 0))).isEqualTo(Shedding.Cause.CALLBACK_BACKLOG);
    }

    @Test
    void theFirstLimitPassedInTheOrderTheWorkFlowsIsNamed() {
        assertThat(shedding.cause(new Load(500, 500, 500))).isEqualTo(Shedding.Cause.RECEIVE_BACKLOG);
        assertThat(shedding.cause(new Load(0, 500, 500))).isEqualTo(Shedding.Cause.RELAY_LATE);
    }
}
