package io.pinhole.proxy.call;

import io.pinhole.sip.PeerGone;
import io.pinhole.proxy.sip.ServerResponses;

import javax.sip.message.Response;

/** Answers the caller's INVITE with a final error and ends the call. */
final class CallFailure {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CallFailure.class);

    private final CallMessages messages;
    private final CallTerminator terminator;
    private final io.pinhole.proxy.sip.SipMetrics metrics;

    CallFailure(CallMessages messages, CallTerminator terminator, io.pinhole.proxy.sip.SipMetrics metrics) {
        this.messages = messages;
        this.terminator = terminator;
        this.metrics = metrics;
    }

    void fail(Call call, int status, String reason) {
        fail(call, response(call, status, reason));
    }

    /** The failure response to the caller's INVITE; null once the call is established (nothing to fail). */
    Response response(Call call, int status, String reason) {
        javax.sip.message.Request invite = call.inviteRequest; // null after Call.settle()
        return invite == null ? null
                : messages.response(invite, status, reason, call.callerToTag, call.callerFlow.transport());
    }

    void fail(Call call, Response response) {
        if (response == null) {
            return; // established: the caller's INVITE was answered and ACKed long ago
        }
        synchronized (call) {
            if (call.state == Call.State.ANSWERED || call.state == Call.State.ENDED) {
                return;
            }
            try {
                ServerResponses.send(call.invite, response);
                metrics.responseOut(response.getStatusCode());
            } catch (Exception e) {
                if (PeerGone.is(e)) {
                    LOG.info("could not send {} to the caller of {}: the caller closed its connection",
                            response.getStatusCode(), call.callerCallId);
                } else {
                    LOG.warn("could not send {} to the caller of {}: {}", response.getStatusCode(), call.callerCallId, e.toString());
                }
            }
        }
        terminator.end(call, Outcomes.of(response.getStatusCode()), response.getStatusCode());
    }
}
