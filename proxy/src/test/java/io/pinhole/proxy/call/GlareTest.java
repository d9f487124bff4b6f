package io.pinhole.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GlareTest {

    @Test
    void theCallIdsOwnerWaitsTwoPointOneToFourSeconds() {
        assertThat(Glare.wait(Side.CALLEE, () -> 0.0)).isEqualTo(Duration.ofMillis(2100));
        assertThat(Glare.wait(Side.CALLEE, () -> 1.0)).isEqualTo(Duration.ofMillis(4000));
    }

    @Test
    void theOtherSideWaitsUpToTwoSeconds() {
        assertThat(Glare.wait(Side.CALLER, () -> 0.0)).isEqualTo(Duration.ZERO);
        assertThat(Glare.wait(Side.CALLER, () -> 0.5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(Glare.wait(Side.CALLER, () -> 1.0)).isEqualTo(Duration.ofMillis(2000));
    }

    @Test
    void onlyRequestPendingIsGlare() {
        assertThat(Glare.isGlare(491)).isTrue();
        assertThat(Glare.isGlare(488)).isFalse();
        assertThat(Glare.isGlare(200)).isFalse();
    }
}
