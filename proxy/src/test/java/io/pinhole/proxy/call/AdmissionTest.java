package io.pinhole.proxy.call;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionTest {

    private static final long MS = 1_000_000;
    private final AtomicLong now = new AtomicLong(1_000 * MS);

    private Admission admission(int perSecond, int maxActive) {
        return new Admission(perSecond, maxActive, 5, now::get);
    }

    @Test
    void aBurstOfATenthOfTheRateIsAdmittedAtOnceThenTheBucketRefillsWithTime() {
        Admission admission = admission(100, 1000);

        int admitted = 0;
        for (int i = 0; i < 50; i++) {
            admitted += admission.admit(0) ? 1 : 0;
        }
        assertThat(admitted).as("burst = rate / 10").isEqualTo(10);

        now.addAndGet(50 * MS); // 100/s for 50 ms: 5 tokens
        admitted = 0;
        for (int i = 0; i < 50; i++) {
            admitted += admission.admit(0) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(5);
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheBurst() {
        Admission admission = admission(100, 1000);
        now.addAndGet(60_000 * MS);

        int admitted = 0;
        for (int i = 0; i < 50; i++) {
            admitted += admission.admit(0) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(10);
    }

    @Test
    void callsInProgressAtTheCapAreRefusedWhateverTheTokens() {
        Admission admission = admission(100, 3);

        assertThat(admission.admit(3)).isFalse();
        assertThat(admission.admit(2)).isTrue();
    }

    @Test
    void aSlowRateStillAdmitsOneCall() {
        Admission admission = admission(1, 10);

        assertThat(admission.admit(0)).isTrue();
        assertThat(admission.admit(0)).isFalse();
        now.addAndGet(1000 * MS);
        assertThat(admission.admit(0)).isTrue();
    }

    @Test
    void theRetryAfterIsTheConfiguredOne() {
        assertThat(admission(100, 10).retryAfter()).isEqualTo(5);
    }
}
