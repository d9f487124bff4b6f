package io.pinhole.proxy.call;

import io.pinhole.proxy.routing.RedirectAnswer;
import io.pinhole.proxy.routing.RedirectClient;
import io.pinhole.proxy.sip.SipMetrics;

import javax.sip.address.SipURI;

/**
 * Seed 001's inter-domain step: the redirect server is asked with the relay's offer, the call is
 * forked to its best Contact (the others kept, in q order, for when it fails); a refusal goes to
 * the caller as the server gave it, no answer as 503 + Retry-After.
 */
final class RedirectLookup {

    private final RedirectClient redirects;
    private final Forker forker;
    private final CallFailure failure;
    private final RetryLater retryLater;
    private final SipMetrics metrics;

    RedirectLookup(RedirectClient redirects, Forker forker, CallFailure failure, RetryLater retryLater,
                   SipMetrics metrics) {
        this.redirects = redirects;
        this.forker = forker;
        this.failure = failure;
        this.retryLater = retryLater;
        this.metrics = metrics;
    }

    /** @param offered the SDP the callee leg carries (the relay's offer, or the caller's own) */
    void forkTo(Call call, SipURI target, String offered, int maxForwards) {
        redirects.lookup(call.inviteRequest, target, offered).thenAccept(answer -> {
            if (answer instanceof RedirectAnswer.Targets targets) {
                String first;
                synchronized (call) {
                    targets.targets().forEach(t -> call.nextTargets.add(t.uri()));
                    first = call.nextTargets.poll();
                    call.offerSdp = offered;
                    call.maxForwards = maxForwards;
                }
                forker.forkTo(call, first, offered, maxForwards);
            } else if (answer instanceof RedirectAnswer.Refused refused) {
                failure.fail(call, refused.status(), refused.reason());
            } else {
                metrics.callRejected("no-redirect");
                failure.fail(call, retryLater.response(call, 503, "Redirect server unavailable"));
            }
        });
    }
}
