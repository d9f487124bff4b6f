package io.pinhole.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;

import java.lang.ref.WeakReference;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * The stack's timer ({@link HashedWheelSipTimer}, issue 19), except that the guard a dialog sets
 * when a 2xx to its INVITE arrives ("delete this dialog if the application has not ACKed within
 * 64 × T1") holds the dialog weakly.
 *
 * <p>The RI never cancels that guard: it runs 32 s after every answered INVITE and finds the ACK
 * sent. Until then the timer queue keeps the dialog alive, with its last request, response and
 * ACK, long after the call has ended and the stack has dropped the dialog. At 500 calls/s that
 * kept some 11,000 finished dialogs alive, copied by every young collection (live heap 151 MB;
 * 128 MB with the guard held weakly). Held weakly, the guard still runs for any dialog the stack
 * or the application still holds (the dialog references its guard), and disappears with a dialog
 * nobody holds any more, for which deleting would be moot.
 *
 * <p>Named in {@link SipStackSettings#toProperties()} as {@code gov.nist.javax.sip.TIMER_CLASS_NAME}.
 */
public final class WeakAckGuardTimer implements SipTimer {

    /**
     * The RI's guard class is package-private to its dialog, so it is looked up by name, once: a
     * timer is scheduled several times per call. An RI without it fails the stack's start.
     */
    private static final Class<?> RI_ACK_GUARD_CLASS =
            riClass("gov.nist.javax.sip.stack.SIPDialog$DialogDeleteIfNoAckSentTask");

    static final Predicate<SIPStackTimerTask> RI_ACK_GUARD = task -> task.getClass() == RI_ACK_GUARD_CLASS;

    private final SipTimer timer = new HashedWheelSipTimer();
    private final Predicate<SIPStackTimerTask> heldWeakly;

    /** The stack instantiates its timer by class name, with this constructor. */
    public WeakAckGuardTimer() {
        this(RI_ACK_GUARD);
    }

    WeakAckGuardTimer(Predicate<SIPStackTimerTask> heldWeakly) {
        this.heldWeakly = heldWeakly;
    }

    private static Class<?> riClass(String name) {
        try {
            return Class.forName(name, false, SIPStackTimerTask.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "this JAIN-SIP RI has no " + name + ": check WeakAckGuardTimer against it", e);
        }
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delay) {
        return timer.schedule(heldWeakly.test(task) ? new WeakTask(task) : task, delay);
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delay, long period) {
        return timer.scheduleWithFixedDelay(task, delay, period);
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        // A weakly held task was scheduled through its wrapper and has no timer task of its own.
        return task.getSipTimerTask() != null && timer.cancel(task);
    }

    @Override
    public void start(SipStackImpl stack, Properties configuration) {
        timer.start(stack, configuration);
    }

    @Override
    public boolean isStarted() {
        return timer.isStarted();
    }

    @Override
    public void stop() {
        timer.stop();
    }

    private static final class WeakTask extends SIPStackTimerTask {
        private final WeakReference<SIPStackTimerTask> task;

        WeakTask(SIPStackTimerTask task) {
            this.task = new WeakReference<>(task);
        }

        @Override
        public void runTask() {
            SIPStackTimerTask held = task.get();
            if (held != null) {
                held.runTask();
            }
        }

        @Override
        public Object getThreadHash() {
            SIPStackTimerTask held = task.get();
            return held == null ? null : held.getThreadHash();
        }
    }
}
