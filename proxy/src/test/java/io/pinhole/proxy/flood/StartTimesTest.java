package io.pinhole.proxy.flood;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartTimesTest {

    @Test
    void countsTheTimesAfterAMomentAndForgetsTheOthers() {
        StartTimes times = new StartTimes(100);
        for (long t = 1; t <= 10; t++) {
            times.add(t * 1_000);
        }
        assertThat(times.countAfter(0)).isEqualTo(10);
        assertThat(times.countAfter(3_000)).as("3 s is not after 3 s").isEqualTo(7);
        assertThat(times.countAfter(0)).as("the older ones are gone for good").isEqualTo(7);
        times.add(11_000);
        assertThat(times.countAfter(10_000)).isEqualTo(1);
        assertThat(times.countAfter(11_000)).isZero();
    }

    @Test
    void growsOnlyAsFarAsTheTimesHeldNeedUpToItsCapacity() {
        StartTimes times = new StartTimes(100_000);
        assertThat(times.slots()).as("an account that rarely calls holds a few slots, not the cap's").isEqualTo(8);
        for (int i = 0; i < 20; i++) {
            times.add(i);
        }
        assertThat(times.slots()).isEqualTo(32);
        assertThat(times.countAfter(-1)).isEqualTo(20);

        StartTimes capped = new StartTimes(5);
        for (int i = 0; i < 12; i++) {
            capped.add(i);
        }
        assertThat(capped.slots()).isEqualTo(5);
        assertThat(capped.countAfter(-1)).as("the oldest dropped past the capacity").isEqualTo(5);
        assertThat(capped.countAfter(8)).as("11, 10, 9").isEqualTo(3);
    }

    @Test
    void keepsOrderAcrossTheRingsWrapAndGrowth() {
        StartTimes times = new StartTimes(64);
        long t = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 5; i++) {
                times.add(++t);
            }
            assertThat(times.countAfter(t - 3)).isEqualTo(3);
        }
        for (int i = 0; i < 40; i++) {
            times.add(++t);
        }
        assertThat(times.countAfter(t - 43)).isEqualTo(43);
    }

    @Test
    void refusesAZeroCapacity() {
        assertThatThrownBy(() -> new StartTimes(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
