package io.pinhole.proxy.call;

import java.util.function.LongSupplier;

/**
 * Admission control for new calls: how long received messages wait for a SIP worker, a token
 * bucket of new INVITEs per second and a cap on calls in progress. Refusing with 503 early is
 * what keeps JAIN-SIP out of its retransmission collapse (../shared/STACK.md); established calls
 * are never refused. The queue delay needs no tuning per machine: a proxy that has fallen behind
 * its input refuses new calls until it has caught up, while the configured rate only caps it.
 */
final class Admission {

    private final double ratePerNano;
    private final double burst;
    private final int maxActive;
    private final int retryAfter;
    private final long maxQueueDelayMillis;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    Admission(int perSecond, int maxActive, long maxQueueDelayMillis, int retryAfter) {
        this(perSecond, maxActive, maxQueueDelayMillis, retryAfter, System::nanoTime);
    }

    /** @param nanoClock monotonic nanoseconds ({@code System::nanoTime}; a test's own clock) */
    Admission(int perSecond, int maxActive, long maxQueueDelayMillis, int retryAfter, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.last = nanoClock.getAsLong();
        this.retryAfter = retryAfter;
        this.maxQueueDelayMillis = maxQueueDelayMillis;
        this.ratePerNano = perSecond / 1e9;
        this.burst = Math.max(1, perSecond / 10.0);
        this.maxActive = maxActive;
        this.tokens = burst;
    }

    /** Seconds for the Retry-After of a refusal. */
    int retryAfter() {
        return retryAfter;
    }

    /** Checked before any work on a new INVITE, the challenge included: the cheapest possible refusal. */
    boolean keepsUp(long queueDelayMillis) {
        return queueDelayMillis <= maxQueueDelayMillis;
    }

    synchronized boolean admit(int active) {
        if (active >= maxActive) {
            return false;
        }
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
