package io.pinhole.proxy.call;

import java.util.function.LongSupplier;

/**
 * Admission control for new calls after the challenge: a token bucket of new INVITEs per second
 * and a cap on calls in progress. How far behind the proxy is ({@link io.pinhole.proxy.overload.Shedding})
 * is judged before any work, in {@link OverloadGuard}; this only caps. Established calls are
 * never refused.
 */
final class Admission {

    private final double ratePerNano;
    private final double burst;
    private final int maxActive;
    private final int retryAfter;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    Admission(int perSecond, int maxActive, int retryAfter) {
        this(perSecond, maxActive, retryAfter, System::nanoTime);
    }

    /** @param nanoClock monotonic nanoseconds ({@code System::nanoTime}; a test's own clock) */
    Admission(int perSecond, int maxActive, int retryAfter, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.last = nanoClock.getAsLong();
        this.retryAfter = retryAfter;
        this.ratePerNano = perSecond / 1e9;
        this.burst = Math.max(1, perSecond / 10.0);
        this.maxActive = maxActive;
        this.tokens = burst;
    }

    /** Seconds for the Retry-After of a refusal. */
    int retryAfter() {
        return retryAfter;
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
