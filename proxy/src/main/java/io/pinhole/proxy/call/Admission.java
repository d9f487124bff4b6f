package io.pinhole.proxy.call;

/**
 * Admission control for new calls: a token bucket of new INVITEs per second plus a cap on
 * calls in progress. Refusing with 503 early is what keeps JAIN-SIP out of its
 * retransmission collapse (../shared/STACK.md); established calls are never refused.
 */
final class Admission {

    private final double ratePerNano;
    private final double burst;
    private final int maxActive;
    private final int retryAfter;
    private double tokens;
    private long last = System.nanoTime();

    Admission(int perSecond, int maxActive, int retryAfter) {
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
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
