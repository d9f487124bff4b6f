package io.pinhole.sip;

import gov.nist.javax.sip.SipProviderImpl;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class WeakAckGuardTimerTest {

    private SipStackImpl stack;
    private WeakAckGuardTimer timer;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.stop();
        }
        if (timer != null) {
            timer.stop();
        }
    }

    @Test
    void anAnsweredDialogNobodyHoldsIsCollectedLongBeforeItsAckGuardIsDue() throws Exception {
        stack = new SipStackImpl(SipStackSettings.defaults("weak-ack-guard-test").toProperties());
        assertThat(stack.getTimer()).isInstanceOf(WeakAckGuardTimer.class);
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ListeningPoint point = stack.createListeningPoint("127.0.0.1", port, "udp");
        SipProviderImpl provider = (SipProviderImpl) stack.createSipProvider(point);

        WeakReference<SIPDialog> dialog = answeredDialogWithItsGuardScheduled(provider);

        // The RI's own timer keeps such a dialog 64 x T1 = 32 s (until its guard has run).
        assertThat(collectedWithin(dialog, 10_000)).as("dialog collected while its ACK guard is pending").isTrue();
    }

    @Test
    void aGuardSomethingStillHoldsRunsOnTime() throws Exception {
        timer = startedTimerHoldingWeakly();
        CountDownLatch ran = new CountDownLatch(1);
        Guard held = new Guard(ran::countDown);

        timer.schedule(held, 50);

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        Reference.reachabilityFence(held);
    }

    @Test
    void aGuardNobodyHoldsNeverRuns() throws Exception {
        timer = startedTimerHoldingWeakly();
        AtomicBoolean ran = new AtomicBoolean();
        WeakReference<Guard> guard = scheduleUnheld(timer, ran, 1_000);

        assertThat(collectedWithin(guard, 5_000)).isTrue();
        Thread.sleep(1_500);
        assertThat(ran).isFalse();
    }

    @Test
    void otherTasksAreHeldByTheTimerAndRunEvenWhenNothingElseHoldsThem() throws Exception {
        timer = startedTimerHoldingWeakly();
        CountDownLatch ran = new CountDownLatch(1);
        scheduleOther(timer, ran, 500);

        for (int i = 0; i < 3; i++) {
            System.gc();
        }

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void cancellingAWeaklyHeldTaskIsANoOpNotAnError() {
        timer = startedTimerHoldingWeakly();
        Guard guard = new Guard(() -> { });
        timer.schedule(guard, 60_000);

        assertThat(timer.cancel(guard)).isFalse();
    }

    private static WeakReference<SIPDialog> answeredDialogWithItsGuardScheduled(SipProviderImpl provider)
            throws Exception {
        String ok = "SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKguard1\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>;tag=b1\r\n"
                + "Call-ID: guard-test-1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:bob@127.0.0.1:5062>\r\n"
                + "Content-Length: 0\r\n\r\n";
        SIPResponse response = (SIPResponse) SipFactory.getInstance().createMessageFactory().createResponse(ok);
        SIPDialog dialog = new SIPDialog(provider, response);
        dialog.doDeferredDeleteIfNoAckSent(1);
        return new WeakReference<>(dialog);
    }

    /** In its own frame, so that no local variable of the test keeps the guard reachable. */
    private static WeakReference<Guard> scheduleUnheld(WeakAckGuardTimer timer, AtomicBoolean ran, long delay) {
        Guard guard = new Guard(() -> ran.set(true));
        timer.schedule(guard, delay);
        return new WeakReference<>(guard);
    }

    private static void scheduleOther(WeakAckGuardTimer timer, CountDownLatch ran, long delay) {
        timer.schedule(new SIPStackTimerTask() {
            @Override
            public void runTask() {
                ran.countDown();
            }

            @Override
            public Object getThreadHash() {
                return null;
            }
        }, delay);
    }

    private static WeakAckGuardTimer startedTimerHoldingWeakly() {
        WeakAckGuardTimer started = new WeakAckGuardTimer(task -> task instanceof Guard);
        started.start(null, null);
        return started;
    }

    private static boolean collectedWithin(WeakReference<?> reference, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (reference.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        return reference.get() == null;
    }

    /** Stands for the RI's ACK guard: something only its owner keeps alive. */
    private static final class Guard extends SIPStackTimerTask {
        private final Runnable action;

        Guard(Runnable action) {
            this.action = action;
        }

        @Override
        public void runTask() {
            action.run();
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }
}
