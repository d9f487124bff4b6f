package io.pinhole.proxy.overload;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueueWaitTest {

    private static final long MS = 1_000_000;
    private final QueueWait wait = new QueueWait();

    /** Workers busy throughout take 2,000 datagrams a second; 4,000 waiting is two seconds of work. */
    @Test
    void aQueueTheWorkersNeverEmptiedIsItsLengthOverTheRateTheyTake() {
        assertThat(wait.millis(0, 0, 500)).as("nothing measured yet").isZero();
        // 50 ms: 3,600 more queued (a receiving thread catching up after a stall), 100 taken
        assertThat(wait.millis(50 * MS, 3600, 4000)).isEqualTo(2000);
        assertThat(wait.millis(60 * MS, 3600, 3980)).as("the rate holds until the next interval").isEqualTo(1990);
    }

    @Test
    void aShortQueueOnAnIdleProxyGivesNoEstimate() {
        wait.millis(0, 0, 0);
        // 20 arrive and are gone within the interval: the workers were not busy throughout
        assertThat(wait.millis(50 * MS, 20, 0)).isZero();
        assertThat(wait.millis(60 * MS, 21, 1)).as("one datagram waiting at a low rate is not a backlog").isZero();
    }

    @Test
    void workersThatTookNothingKeepTheLastRate() {
        wait.millis(0, 0, 100);
        assertThat(wait.millis(50 * MS, 100, 100)).as("100 taken in 50 ms").isEqualTo(50);
        assertThat(wait.millis(100 * MS, 200, 200)).as("none taken: a stall, the backlog still counts").isEqualTo(100);
    }

    @Test
    void anEmptyQueueWaitsNothing() {
        wait.millis(0, 0, 100);
        wait.millis(50 * MS, 100, 100);
        assertThat(wait.millis(60 * MS, 100, 0)).isZero();
    }
}
