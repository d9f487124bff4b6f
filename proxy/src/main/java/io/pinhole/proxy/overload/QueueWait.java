package io.pinhole.proxy.overload;

import java.util.concurrent.TimeUnit;

/**
 * How long a datagram queued now will wait for a SIP worker, from the queue's length and the
 * rate the workers took datagrams off it while they were busy (Little's law). The age of the
 * oldest queued datagram misses what waited in the kernel's socket buffer: that age counts from
 * when the stack's receiving thread read it, and a receiving thread starved of CPU, or stopped by
 * a GC pause, reads thousands at once afterwards (13,847 queued whose oldest was 358 ms old, on 2
 * cores at load 30). The length says how much work is ahead; the rate turns it into a time, so the
 * limit stays one time at every call rate.
 *
 * <p>The rate is only taken from an interval that started and ended with datagrams waiting: then
 * the workers were busy throughout and what they took is what they can take. A short queue on an
 * idle proxy, drained in a moment, gives no estimate (0): the oldest datagram's age covers it.
 */
public final class QueueWait {

    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long LONGEST_MILLIS = 60_000;

    private long intervalStart;
    private long queuedAtStart;
    private int lengthAtStart;
    private double takenPerNano;
    private boolean started;

    /**
     * @param nowNanos    monotonic nanoseconds
     * @param queuedTotal datagrams ever queued (a count that only grows)
     * @param length      datagrams waiting now
     * @return the expected wait of a datagram queued now, in milliseconds; 0 when not known
     */
    public synchronized long millis(long nowNanos, long queuedTotal, int length) {
        if (!started) {
            started = true;
            restart(nowNanos, queuedTotal, length);
            return 0;
        }
        long elapsed = nowNanos - intervalStart;
        if (elapsed >= INTERVAL_NANOS) {
            long taken = (queuedTotal - queuedAtStart) - (length - lengthAtStart);
            boolean busyThroughout = lengthAtStart > 0 && length > 0;
            takenPerNano = busyThroughout && taken > 0 ? taken / (double) elapsed : busyThroughout ? takenPerNano : 0;
            restart(nowNanos, queuedTotal, length);
        }
        if (length == 0 || takenPerNano <= 0) {
            return 0;
        }
        return Math.min(LONGEST_MILLIS, TimeUnit.NANOSECONDS.toMillis((long) (length / takenPerNano)));
    }

    private void restart(long nowNanos, long queuedTotal, int length) {
        intervalStart = nowNanos;
        queuedAtStart = queuedTotal;
        lengthAtStart = length;
    }
}
