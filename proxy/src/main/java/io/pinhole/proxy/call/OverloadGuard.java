package io.pinhole.proxy.call;

import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.NewRequest;
import io.pinhole.proxy.sip.ReceiveBacklog;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipMetrics;

/**
 * Acts on {@link Admission}'s decisions: a new call the proxy cannot take now gets 503 +
 * Retry-After and is counted as refused for overload.
 */
final class OverloadGuard {

    private final Admission admission;
    private final ReceiveBacklog backlog;
    private final CallRegistry registry;
    private final RetryLater retryLater;
    private final Responder responder;
    private final SipMetrics metrics;

    OverloadGuard(Admission admission, ReceiveBacklog backlog, CallRegistry registry, RetryLater retryLater,
                  Responder responder, SipMetrics metrics) {
        this.admission = admission;
        this.backlog = backlog;
        this.registry = registry;
        this.retryLater = retryLater;
        this.responder = responder;
        this.metrics = metrics;
    }

    /** Whether received messages wait longer than allowed for a worker: new calls are refused before any work. */
    boolean fallenBehind() {
        return !admission.keepsUp(backlog.delayMillis());
    }

    void refuseStatelessly(NewRequest in) {
        metrics.callRejected("overload");
        responder.replyStatelessly(in, 503, "Service Unavailable", retryLater::addTo);
    }

    /** True when one more call fits the rate and the cap on active calls; else the INVITE has been answered 503. */
    boolean admits(IncomingRequest in) {
        if (admission.admit(registry.active())) {
            return true;
        }
        metrics.callRejected("overload");
        responder.reply(in, 503, "Service Unavailable", retryLater::addTo);
        return false;
    }
}
