package io.pinhole.proxy.call;

import gov.nist.javax.sip.stack.DialogSlimming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.Dialog;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets the dialogs of established calls forget the ACKs we sent once no 2xx they answer can come
 * again. The RI keeps the last ACK a dialog sent, encoded (some 400 bytes), for the dialog's whole
 * length, to send it again on each retransmission of the 2xx; a UAS retransmits a 2xx for
 * 64*T1 = 32 s at most (RFC 3261 13.3.1.4, 17.1.1.2), so past that the copy is dead weight on
 * every established call. After {@link #WINDOW} a call's dialogs drop it
 * ({@link DialogSlimming#dropAck}); a re-INVITE's ACK starts the window again. A 2xx that still
 * came later (no compliant peer sends one) reaches {@link CallEvents} as a stray response instead
 * of being answered by the stack.
 *
 * <p>One pass every {@link #PERIOD} over the calls on its own thread, as {@link SessionExpiry}
 * does, rather than a timer per call. The window is 40 s, not 32: the RI reads the last ACK
 * without a null check while an INVITE client transaction of the dialog lingers (2 s here).
 */
final class SentAckRelease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SentAckRelease.class);
    static final Duration WINDOW = Duration.ofSeconds(40);
    static final Duration PERIOD = Duration.ofSeconds(5);

    private final CallRegistry registry;
    private final LongSupplier nanos;
    private final ScheduledExecutorService thread;

    SentAckRelease(CallRegistry registry) {
        this(registry, System::nanoTime);
        thread.scheduleWithFixedDelay(this::sweepSafely, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sweeps only when asked ({@link #sweep}): for tests. */
    SentAckRelease(CallRegistry registry, LongSupplier nanos) {
        this.registry = registry;
        this.nanos = nanos;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sent-ack-release");
            t.setDaemon(true);
            return t;
        });
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.error("sent-ACK release sweep failed", e);
        }
    }

    /** @return how many dialogs let go of an ACK */
    int sweep() {
        long now = nanos.getAsLong();
        long window = WINDOW.toNanos();
        int dropped = 0;
        for (Call call : registry.calls()) {
            if (call.ackedWithin(now, window) || !call.settled()) {
                continue;
            }
            Dialog callee;
            synchronized (call) {
                callee = call.winner == null ? null : call.winner.dialog;
            }
            dropped += drop(callee, call, window) + drop(call.callerDialog, call, window);
        }
        return dropped;
    }

    private int drop(Dialog dialog, Call call, long window) {
        return dialog != null && DialogSlimming.dropAck(dialog, () -> call.ackedWithin(nanos.getAsLong(), window)) ? 1 : 0;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
