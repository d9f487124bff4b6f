package io.pinhole.proxy.call;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * RFC 3261 14.1: when our re-INVITE meets the phone's own (it answers 491 Request Pending, or the
 * stack refuses ours while the phone's is still open), we try again after a random wait: 2.1 to 4 s
 * on a dialog whose Call-ID we chose (the leg towards the callee, which the B2BUA started), 0 to
 * 2 s on the other. The two sides' ranges do not overlap, so the retries do not collide again.
 */
record Glare(int attempts) {

    /** Re-INVITEs tried at most this many times in all (the first and the retries). */
    static final Glare DEFAULT = new Glare(3);

    static Duration wait(Side side, DoubleSupplier random) {
        double r = Math.min(Math.max(random.getAsDouble(), 0), 1);
        long millis = side == Side.CALLEE ? 2100 + Math.round(r * 1900) : Math.round(r * 2000);
        return Duration.ofMillis(millis);
    }

    /** Whether a failed attempt is glare and worth another try. */
    static boolean isGlare(int status) {
        return status == 491;
    }
}
