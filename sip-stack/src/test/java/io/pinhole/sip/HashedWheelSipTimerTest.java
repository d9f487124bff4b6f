package io.pinhole.sip;

import gov.nist.javax.sip.stack.SIPStackTimerTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HashedWheelSipTimerTest {

    private HashedWheelSipTimer timer;

    @BeforeEach
    void start() {
        timer = new HashedWheelSipTimer();
        timer.start(null, null);
    }

    @AfterEach
    void stop() {
        timer.stop();
    }

    @Test
    void aTaskRunsOnceAfterItsDelayOnTheTimerThread() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        Counting task = new Counting(() -> thread.set(Thread.currentThread().getName()));
        long before = System.nanoTime();

        assertThat(timer.schedule(task, 200)).isTrue();

        assertThat(task.awaitRuns(1, 5_000)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isGreaterThanOrEqualTo(190);
        assertThat(thread.get()).isEqualTo("pinhole-sip-timer");
        Thread.sleep(300);
        assertThat(task.runs.get()).isEqualTo(1);
        assertThat(timer.cancel(task)).as("a task that already ran is no longer pending").isFalse();
    }

    @Test
    void aFixedDelayTaskRepeatsUntilCancelled() throws Exception {
        Counting task = new Counting(() -> { });

        timer.scheduleWithFixedDelay(task, 0, 50);
        assertThat(task.awaitRuns(4, 5_000)).isTrue();

        assertThat(timer.cancel(task)).isTrue();
        assertThat(task.cleanedUp).isEqualTo(1);
        assertThat(task.getSipTimerTask()).isNull();
        int afterCancel = task.runs.get();
        Thread.sleep(300);
        assertThat(task.runs.get()).isLessThanOrEqualTo(afterCancel + 1); // at most the run under way
        int settled = task.runs.get();
        Thread.sleep(300);
        assertThat(task.runs.get()).isEqualTo(settled);
        assertThat(timer.cancel(task)).as("cancelling twice").isFalse();
    }

    @Test
    void aRepeatingTaskThatCancelsItselfWhileRunningStops() throws Exception {
        AtomicReference<SIPStackTimerTask> self = new AtomicReference<>();
        Counting task = new Counting(() -> timer.cancel(self.get()));
        self.set(task);

        timer.scheduleWithFixedDelay(task, 0, 20);

        assertThat(task.awaitRuns(1, 5_000)).isTrue();
        Thread.sleep(300);
        assertThat(task.runs.get()).isEqualTo(1);
    }

    @Test
    void aFailingRepeatingTaskKeepsRepeatingAndTheTimerKeepsRunning() throws Exception {
        Counting failing = new Counting(() -> {
            throw new IllegalStateException("boom");
        });
        timer.scheduleWithFixedDelay(failing, 0, 20);

        assertThat(failing.awaitRuns(3, 5_000)).isTrue();
        Counting other = new Counting(() -> { });
        timer.schedule(other, 10);
        assertThat(other.awaitRuns(1, 5_000)).isTrue();
        timer.cancel(failing);
    }

    @Test
    void aCancelledTaskIsDroppedNotKeptUntilItsTime() throws Exception {
        WeakReference<Counting> task = scheduleAndCancel(timer, 600_000);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (task.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(task.get()).as("cancelled task still held by the timer").isNull();
    }

    @Test
    void cancellingATaskNeverScheduledIsANoOp() {
        Counting task = new Counting(() -> { });

        assertThat(timer.cancel(task)).isFalse();
        assertThat(task.cleanedUp).isZero();
    }

    @Test
    void stoppingDropsPendingTasksAndRefusesNewOnes() throws Exception {
        Counting pending = new Counting(() -> { });
        timer.schedule(pending, 200);

        timer.stop();

        assertThat(timer.isStarted()).isFalse();
        Thread.sleep(400);
        assertThat(pending.runs.get()).isZero();
        assertThatThrownBy(() -> timer.schedule(new Counting(() -> { }), 10))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void isStartedOnlyBetweenStartAndStop() {
        HashedWheelSipTimer fresh = new HashedWheelSipTimer();
        assertThat(fresh.isStarted()).isFalse();
        fresh.start(null, null);
        assertThat(fresh.isStarted()).isTrue();
        fresh.stop();
        assertThat(fresh.isStarted()).isFalse();
    }

    /** In its own frame, so that only the timer could keep the task reachable. */
    private static WeakReference<Counting> scheduleAndCancel(HashedWheelSipTimer timer, long delay) {
        Counting task = new Counting(() -> { });
        timer.scheduleWithFixedDelay(task, delay, delay);
        assertThat(timer.cancel(task)).isTrue();
        return new WeakReference<>(task);
    }

    private static final class Counting extends SIPStackTimerTask {
        final AtomicInteger runs = new AtomicInteger();
        volatile int cleanedUp;
        private final Runnable action;
        private final CountDownLatch[] reached = new CountDownLatch[8];

        Counting(Runnable action) {
            this.action = action;
            for (int i = 0; i < reached.length; i++) {
                reached[i] = new CountDownLatch(i);
            }
        }

        boolean awaitRuns(int count, long millis) throws InterruptedException {
            return reached[count].await(millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void runTask() {
            runs.incrementAndGet();
            for (CountDownLatch latch : reached) {
                latch.countDown();
            }
            action.run();
        }

        @Override
        public void cleanUpBeforeCancel() {
            cleanedUp++;
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }
}
