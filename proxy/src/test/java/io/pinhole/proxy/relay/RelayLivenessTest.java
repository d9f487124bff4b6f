package io.pinhole.proxy.relay;

import io.pinhole.proxy.relay.RelayLiveness.Ping;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a relay counts as dead, from its pings alone (interval 400 ms, allowance 200 ms, 3 misses). */
class RelayLivenessTest {

    private static final long ALLOWANCE = 200;

    private static Ping answered(long sent) {
        return new Ping(sent, sent + 1);
    }

    private static Ping unanswered(long sent) {
        return new Ping(sent, -1);
    }

    @Test
    void noPingsIsAlive() {
        assertThat(RelayLiveness.misses(List.of(), 1000, ALLOWANCE)).isZero();
        assertThat(RelayLiveness.dead(List.of(), 1000, ALLOWANCE, 3)).isFalse();
    }

    @Test
    void answeredPingsAreAlive() {
        List<Ping> history = List.of(answered(0), answered(400), answered(800));
        assertThat(RelayLiveness.dead(history, 1200, ALLOWANCE, 3)).isFalse();
    }

    @Test
    void threeUnansweredPingsAfterTheLastAnswerAreDead() {
        List<Ping> history = List.of(answered(0), unanswered(400), unanswered(800), unanswered(1200));
        assertThat(RelayLiveness.misses(history, 1600, ALLOWANCE)).isEqualTo(3);
        assertThat(RelayLiveness.dead(history, 1600, ALLOWANCE, 3)).isTrue();
    }

    @Test
    void aPingYoungerThanTheAllowanceIsNotAMissYet() {
        List<Ping> history = List.of(answered(0), unanswered(400), unanswered(800), unanswered(1200));
        assertThat(RelayLiveness.misses(history, 1300, ALLOWANCE)).isEqualTo(2);
        assertThat(RelayLiveness.dead(history, 1300, ALLOWANCE, 3)).isFalse();
    }

    @Test
    void aLateAnswerToAnOlderPingProvesTheRelayAlive() {
        // the ping of 400 was answered at 1250, after the pings of 800 and 1200 were sent
        List<Ping> history = List.of(answered(0), new Ping(400, 1250), unanswered(800), unanswered(1200),
                unanswered(1600));
        assertThat(RelayLiveness.misses(history, 2000, ALLOWANCE)).isEqualTo(1);
        assertThat(RelayLiveness.dead(history, 2000, ALLOWANCE, 3)).isFalse();
    }

    @Test
    void oneLostPingBetweenAnswersIsNoMiss() {
        List<Ping> history = List.of(answered(0), unanswered(400), answered(800), answered(1200));
        assertThat(RelayLiveness.misses(history, 1600, ALLOWANCE)).isZero();
    }

    @Test
    void aRelayThatNeverAnsweredIsDeadAfterTheMisses() {
        List<Ping> history = List.of(unanswered(0), unanswered(400), unanswered(800));
        assertThat(RelayLiveness.dead(history, 1200, ALLOWANCE, 3)).isTrue();
        assertThat(RelayLiveness.dead(history, 1200, ALLOWANCE, 4)).isFalse();
    }

    @Test
    void defaultsFindADeadRelayWithinTwoSeconds() {
        FailoverProperties defaults = new FailoverProperties(true, Duration.ofMillis(400), 3, 200);
        assertThat(defaults.worstDetection()).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void badSettingsAreRefusedByName() {
        assertThatThrownBy(() -> new FailoverProperties(true, Duration.ofMillis(10), 3, 200))
                .hasMessageContaining("pinhole.media.failover.ping-interval");
        assertThatThrownBy(() -> new FailoverProperties(true, Duration.ofMillis(400), 0, 200))
                .hasMessageContaining("pinhole.media.failover.misses");
        assertThatThrownBy(() -> new FailoverProperties(true, Duration.ofMillis(400), 3, 0))
                .hasMessageContaining("pinhole.media.failover.moves-per-second");
    }

    @Test
    void movesOfADeadRelaysCallsArePacedNotBurst() {
        FailoverProperties settings = new FailoverProperties(true, Duration.ofMillis(400), 3, 200);
        assertThat(settings.pause(0, Duration.ZERO)).isZero();
        // the 200th move is due one second after the first
        assertThat(settings.pause(200, Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(750));
        assertThat(settings.pause(1, Duration.ZERO)).isEqualTo(Duration.ofMillis(5));
        // behind schedule (a slow move): no pause, never a negative one
        assertThat(settings.pause(10, Duration.ofSeconds(1))).isZero();
    }
}
