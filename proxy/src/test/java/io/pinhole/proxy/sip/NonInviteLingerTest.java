package io.pinhole.proxy.sip;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class NonInviteLingerTest {

    @Test
    void timerJOfFiveSecondsIsSixtyFourTicksOfSeventyEightMilliseconds() {
        assertThat(NonInviteLinger.tickMillis(Duration.ofSeconds(5))).isEqualTo(78);
    }

    @Test
    void neverLongerThanTheStandardThirtyTwoSecondsNorShorterThanOneTick() {
        assertThat(NonInviteLinger.tickMillis(Duration.ofMinutes(5))).isEqualTo(500);
        assertThat(NonInviteLinger.tickMillis(Duration.ZERO)).isEqualTo(1);
    }
}
