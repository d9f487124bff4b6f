package io.pinhole.proxy.relay;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Relay#untilDown}: a command waited on is cut short when its relay is marked down. */
class RelayTest {

    private final Relay relay = new Relay(1L, "relay-a", null, 1);

    @Test
    void aPendingCommandFailsTheMomentItsRelayIsMarkedDown() {
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture<String> waited = relay.untilDown(answer);
        assertThat(waited).isNotDone();
        relay.problem("3 pings in a row unanswered", java.time.Instant.now());
        relay.markUp(false);
        assertThatThrownBy(waited::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(Relay.RelayDownException.class)
                .hasMessageContaining("relay relay-a is down (3 pings in a row unanswered)");
        assertThat(answer).as("the command itself is left to its own timeout").isNotDone();
    }

    @Test
    void aCommandToARelayAlreadyDownFailsAtOnce() {
        relay.markUp(false);
        assertThat(relay.untilDown(new CompletableFuture<String>())).isCompletedExceptionally();
    }

    @Test
    void anAnsweredCommandIsNotCutShortByALaterDeath() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture<String> waited = relay.untilDown(answer);
        answer.complete("v=0");
        relay.markUp(false);
        assertThat(waited.get()).isEqualTo("v=0");
    }

    @Test
    void aRelayBackUpLetsNewCommandsWait() {
        relay.markUp(false);
        relay.markUp(true);
        assertThat(relay.untilDown(new CompletableFuture<String>())).isNotDone();
    }
}
