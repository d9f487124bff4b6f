package io.pinhole.proxy.call;

import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.MediaTransport;
import io.pinhole.proxy.media.NgFlags;
import io.pinhole.proxy.relay.MediaSession;
import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.proxy.relay.RelayTransports;
import io.pinhole.proxy.sip.SipMetrics;
import io.pinhole.wire.ng.NgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The offer a new call's callee leg is sent: the caller's own SDP on a direct path, else the
 * relay's rewrite of it (a relay taken from the pool and the call's media session opened).
 */
final class CallerOffer {

    private static final Logger LOG = LoggerFactory.getLogger(CallerOffer.class);

    private final RelayPool relays;
    private final SipMetrics metrics;
    private final CallFailure failure;
    private final RetryLater retryLater;

    CallerOffer(RelayPool relays, SipMetrics metrics, CallFailure failure, RetryLater retryLater) {
        this.relays = relays;
        this.metrics = metrics;
        this.failure = failure;
        this.retryLater = retryLater;
    }

    /**
     * The offer to send on. When the relay cannot be had the caller gets 503 + Retry-After and the
     * returned future never completes normally (nothing further happens for this call).
     */
    CompletableFuture<String> of(Call call, String sdp) {
        if (call.mediaPath == MediaPath.DIRECT) {
            return CompletableFuture.completedFuture(sdp);
        }
        Set<MediaTransport> needed = call.mediaPlan.relayTransports();
        Optional<Relay> relay = relays.acquireForNewCall(needed);
        if (relay.isEmpty()) {
            metrics.callRejected("no-relay");
            // say which transport is missing when the relays are up but none serves it (an edge agent's TLS, say)
            String reason = !needed.isEmpty() && relays.available()
                    ? "No media relay serves " + RelayTransports.describe(needed) + " media" : "No media relay available";
            failure.fail(call, retryLater.response(call, 503, reason));
            return new CompletableFuture<>();
        }
        MediaSession session = relays.session(relay.get(), call.callerCallId);
        synchronized (call) {
            call.media = session;
        }
        return session.offer(sdp, call.inviteFromTag(), call.callerFlow, NgFlags.forLeg(call.mediaPlan.caller()),
                        call.mediaPlan.answererTransport())
                .thenApply(offered -> {
                    call.callerGrant = offered.offerer();
                    call.calleeGrant = offered.answerer();
                    return offered.sdp();
                })
                .whenComplete((offered, error) -> {
                    if (error == null) {
                        return;
                    }
                    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                    if (cause instanceof NgException ng && ng.timeout()) {
                        relays.timedOut(relay.get());
                    }
                    LOG.warn("call {}: relay {} refused the offer: {}", call.callerCallId, relay.get().name(),
                            cause.getMessage());
                    failure.fail(call, retryLater.response(call, 503, "Media relay unavailable"));
                });
    }
}
