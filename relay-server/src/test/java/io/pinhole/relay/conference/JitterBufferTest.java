package io.pinhole.relay.conference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JitterBufferTest {

    private static byte[] frame(int marker) {
        byte[] f = new byte[160];
        f[0] = (byte) marker;
        return f;
    }

    private static int played(byte[] f) {
        return f == null ? -1 : f[0];
    }

    @Test
    void primesForDepthTicksThenPlaysInSequenceOrder() {
        JitterBuffer j = new JitterBuffer(3);
        j.put(10, frame(10), 0);
        j.put(12, frame(12), 0);
        j.put(11, frame(11), 0); // reordered
        assertThat(j.take()).isNull();
        assertThat(j.take()).isNull();
        assertThat(j.take()).isNull();
        assertThat(played(j.take())).isEqualTo(10);
        assertThat(played(j.take())).isEqualTo(11);
        assertThat(played(j.take())).isEqualTo(12);
    }

    @Test
    void dropsLateAndDuplicateFramesAndCountsThem() {
        JitterBuffer j = new JitterBuffer(1);
        j.put(100, frame(1), 0);
        assertThat(j.put(100, frame(1), 0)).isFalse(); // duplicate
        j.take();
        assertThat(played(j.take())).isEqualTo(1);
        assertThat(j.put(100, frame(1), 0)).isFalse(); // already played: late
        assertThat(j.put(99, frame(1), 0)).isFalse();
        assertThat(j.late()).isEqualTo(3);
    }

    @Test
    void aLostFramePlaysAsNothingAndTheNextOneFollows() {
        JitterBuffer j = new JitterBuffer(2);
        j.put(1, frame(1), 0);
        j.put(3, frame(3), 0);
        j.take();
        j.take();
        assertThat(played(j.take())).isEqualTo(1);
        assertThat(j.take()).isNull();
        assertThat(played(j.take())).isEqualTo(3);
    }

    @Test
    void wrapsAroundTheSixteenBitSequence() {
        JitterBuffer j = new JitterBuffer(1);
        j.put(65535, frame(1), 0);
        j.put(0, frame(2), 0);
        j.take();
        assertThat(played(j.take())).isEqualTo(1);
        assertThat(played(j.take())).isEqualTo(2);
    }

    @Test
    void framesFarAheadOverrunTheOldestAndAJumpRestarts() {
        JitterBuffer j = new JitterBuffer(1); // 4 slots
        j.put(0, frame(0), 0);
        j.put(5, frame(5), 0); // beyond the slots: 0 goes
        assertThat(j.overruns()).isEqualTo(1);
        j.put(30_000, frame(9), 0); // a jump: start over
        j.take();
        assertThat(played(j.take())).isEqualTo(9);
    }

    @Test
    void reprimesAfterSilenceSoATalkSpurtWithOldSequenceNumbersPlays() {
        JitterBuffer j = new JitterBuffer(2);
        j.put(1, frame(1), 0);
        for (int i = 0; i < 10; i++) {
            j.take(); // the party went quiet, the clock ran on
        }
        j.put(2, frame(2), 0); // the sequence continues where it stopped (DTX)
        j.take();
        j.take();
        assertThat(played(j.take())).isEqualTo(2);
    }
}
