package io.pinhole.sip;

import gov.nist.javax.sip.SipStackImpl;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The threads a JAIN-SIP RI stack starts while it is constructed (its timer and its event
 * scanner), kept in a thread group named after the stack so that they can be found again.
 *
 * <p>The RI's {@code stop()} cancels the timer but only flags the event scanner, whose thread
 * stays blocked waiting for an event that never comes. It is not a daemon: one such thread per
 * stopped stack, and a JVM whose SIP service failed to start never exits. {@link #endScanner()}
 * wakes it after the stop; it then sees the flag and ends, quietly.
 */
final class StackThreads {

    /** The name the RI gives its event scanner's thread. */
    static final String RI_EVENT_SCANNER = "EventScannerThread";

    private final ThreadGroup group;

    StackThreads(String stackName) {
        this.group = new ThreadGroup(stackName);
    }

    /**
     * {@code new PinholeSipStack(properties)}, run on a short-lived thread of this group so that the
     * threads the constructor starts belong to it. Listening points, and the threads that receive
     * and work on messages, are created by the caller as usual.
     */
    SipStackImpl construct(Properties properties) throws Exception {
        FutureTask<SipStackImpl> construction = new FutureTask<>(() -> new PinholeSipStack(properties));
        new Thread(group, construction, group.getName() + "-construction").start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return construction.get(); // waited for even when interrupted: a stack must not be left behind
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw (Error) e.getCause();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Wakes the stopped stack's event scanner so that its thread ends. */
    void endScanner() {
        Thread[] threads = new Thread[group.activeCount() + 8];
        int count = group.enumerate(threads);
        for (int i = 0; i < count; i++) {
            if (RI_EVENT_SCANNER.equals(threads[i].getName())) {
                threads[i].interrupt();
            }
        }
    }
}
