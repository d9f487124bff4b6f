package io.pinhole.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The RI's {@link SipTimer} on Netty's hashed wheel instead of {@code java.util.Timer} (issue 19).
 *
 * <p>The RI schedules timers per live transaction and dialog. Its {@code DefaultSipTimer} keeps
 * them on one binary heap under one lock: every schedule and cancel costs O(log n) there, and a
 * cancelled task stays in the heap (holding its transaction) until its time comes. On the wheel a
 * schedule is an enqueue, a cancel is O(1) and the cancelled task leaves the wheel on the next tick.
 *
 * <p>The tick is {@value #TICK_MILLIS} ms: the shortest RI timer is T1-based (500 ms, the RI's base
 * timer interval), so a task runs at most one tick late, far inside what RFC 3261 tolerates. Tasks
 * run on the wheel's single thread, as they did on the RI's timer thread. A fixed-delay task
 * schedules itself again after each run, until it is cancelled.
 */
public class HashedWheelSipTimer implements SipTimer {

    static final long TICK_MILLIS = 10;
    /** 512 ticks of 10 ms: a turn is 5.12 s, so T1-to-T2 timers land without extra rounds. */
    private static final int TICKS_PER_WHEEL = 512;

    private static final Logger LOG = LoggerFactory.getLogger(HashedWheelSipTimer.class);

    private final HashedWheelTimer wheel = new HashedWheelTimer(
            timerThreads(), TICK_MILLIS, TimeUnit.MILLISECONDS, TICKS_PER_WHEEL,
            false /* the stack stops it; no leak tracking of the timer itself */, -1);
    private final AtomicBoolean started = new AtomicBoolean();

    private static ThreadFactory timerThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "pinhole-sip-timer");
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void start(SipStackImpl stack, Properties configuration) {
        wheel.start();
        started.set(true);
    }

    @Override
    public boolean isStarted() {
        return started.get();
    }

    @Override
    public void stop() {
        started.set(false);
        try {
            wheel.stop();
        } catch (IllegalStateException calledFromATimerTask) {
            // Netty refuses to stop its wheel from the wheel's own thread (a task stopping the stack).
            Thread stopper = new Thread(wheel::stop, "pinhole-sip-timer-stop");
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delay) {
        return scheduleEntry(task, delay, 0);
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delay, long period) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return scheduleEntry(task, delay, period);
    }

    private boolean scheduleEntry(SIPStackTimerTask task, long delay, long period) {
        if (!started.get()) {
            throw new IllegalStateException("The SIP Stack Timer has been stopped, no new tasks can be scheduled !");
        }
        Entry entry = new Entry(task, period);
        task.setSipTimerTask(entry);
        entry.arm(delay);
        return true;
    }

    /**
     * As the RI's timers: the task cleans up, forgets its timer entry, and never runs again. False
     * when the task was not scheduled here (or already cancelled).
     */
    @Override
    public boolean cancel(SIPStackTimerTask task) {
        if (!(task.getSipTimerTask() instanceof Entry entry)) {
            return false;
        }
        task.cleanUpBeforeCancel();
        task.setSipTimerTask(null);
        return entry.cancel();
    }

    /** One scheduled task on the wheel; re-arms itself after each run when it repeats. */
    private final class Entry implements TimerTask {
        private volatile SIPStackTimerTask task;
        private final long period;
        private volatile Timeout timeout;

        Entry(SIPStackTimerTask task, long period) {
            this.task = task;
            this.period = period;
        }

        void arm(long delay) {
            timeout = wheel.newTimeout(this, Math.max(0, delay), TimeUnit.MILLISECONDS);
            // A cancel between newTimeout and the write above saw the previous timeout: drop this one.
            if (task == null) {
                timeout.cancel();
            }
        }

        boolean cancel() {
            boolean wasLive = task != null;
            task = null; // frees the transaction even before the wheel drops the entry
            Timeout current = timeout;
            if (current != null) {
                current.cancel();
            }
            return wasLive;
        }

        @Override
        public void run(Timeout expired) {
            SIPStackTimerTask running = task;
            if (running == null) {
                return;
            }
            try {
                running.runTask();
            } catch (Throwable failure) {
                LOG.warn("SIP stack timer task {} failed", running.getClass().getName(), failure);
            }
            if (period == 0) {
                task = null; // ran once: as a java.util.TimerTask, a later cancel returns false
            } else if (task != null && started.get()) {
                try {
                    arm(period);
                } catch (IllegalStateException stoppedMeanwhile) {
                    // the stack stopped the timer while this task ran: nothing left to repeat for
                }
            }
        }
    }
}
