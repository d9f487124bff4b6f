package io.pinhole.proxy.call;

import io.pinhole.proxy.overload.LoadGauge;
import io.pinhole.proxy.overload.Shedding;
import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.NewRequest;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipMetrics;

/**
 * Acts on {@link Shedding}'s and {@link Admission}'s decisions: a new call the proxy cannot take
 * now gets 503 + Retry-After and is counted as refused for overload.
 */
final class OverloadGuard {

    private final Admission admission;
    private final LoadGauge load;
    private final CallRegistry registry;
    private final RetryLater retryLater;
    private final Responder responder;
    private final SipMetrics metrics;

    OverloadGuard(Admission admission, LoadGauge load, CallRegistry registry, RetryLater retryLater,
                  Responder responder, SipMetrics metrics) {
        this.admission = admission;
        this.load = load;
        this.registry = registry;
        this.retryLater = retryLater;
        this.responder = responder;
        this.metrics = metrics;
    }

    /**
     * Whether the proxy's work waits longer than allowed (received messages for a worker, relay
     * replies for a thread, ng commands for the relay's answer): new calls are refused before any work.
     */
    boolean fallenBehind() {
        return load.cause() != Shedding.Cause.NONE;
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
