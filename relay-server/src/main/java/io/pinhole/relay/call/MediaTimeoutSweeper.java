package io.pinhole.relay.call;

import java.util.ArrayList;
import java.util.List;

/**
 * Tears down calls without media for the timeout (the hold timeout while every stream is on hold
 * or inactive). Runs periodically on the control thread.
 */
public final class MediaTimeoutSweeper {

    private final CallRegistry registry;
    private final long timeoutNanos;
    private final long holdTimeoutNanos;

    public MediaTimeoutSweeper(CallRegistry registry, long timeoutNanos, long holdTimeoutNanos) {
        this.registry = registry;
        this.timeoutNanos = timeoutNanos;
        this.holdTimeoutNanos = holdTimeoutNanos;
    }

    /** @return how many calls were torn down */
    public int sweep(long nowNanos) {
        List<Call> expired = new ArrayList<>();
        for (Call call : registry.calls()) {
            long limit = call.onHold() ? holdTimeoutNanos : timeoutNanos;
            if (nowNanos - call.lastActivityNanos() > limit) {
                expired.add(call);
            }
        }
        for (Call call : expired) {
            registry.remove(call, true);
        }
        return expired.size();
    }
}
