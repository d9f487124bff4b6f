package io.pinhole.proxy.call;

import io.pinhole.proxy.sip.ServerResponses;
import io.pinhole.proxy.sip.SipMetrics;
import io.pinhole.sip.PeerGone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Response;

/**
 * The callee's responses as the caller gets them: our copy on the caller's INVITE (our To tag and
 * Contact, the SDP meant for the caller), sent on its server transaction and counted.
 */
final class CallerResponses {

    private static final Logger LOG = LoggerFactory.getLogger(CallerResponses.class);

    private final CallMessages messages;
    private final SipMetrics metrics;

    CallerResponses(CallMessages messages, SipMetrics metrics) {
        this.messages = messages;
        this.metrics = metrics;
    }

    /** Our response to the caller with {@code received}'s status and reason and {@code sdp} (null: no body). */
    Response copyOf(Call call, Response received, String sdp) {
        Response out = messages.response(call.inviteRequest, received.getStatusCode(), received.getReasonPhrase(),
                call.callerToTag, call.callerFlow.transport());
        if (sdp != null) {
            messages.setSdp(out, sdp);
        }
        return out;
    }

    void send(Call call, Response response) {
        try {
            ServerResponses.send(call.invite, response);
            sent(response);
        } catch (Exception e) {
            if (PeerGone.is(e)) {
                LOG.info("call {}: could not send {} to the caller: it closed its connection", call.callerCallId,
                        response.getStatusCode());
            } else {
                LOG.warn("call {}: could not send {} to the caller: {}", call.callerCallId, response.getStatusCode(), e.toString());
            }
        }
    }

    /** Counts a response that went to the caller. */
    void sent(Response response) {
        metrics.responseOut(response.getStatusCode());
    }
}
