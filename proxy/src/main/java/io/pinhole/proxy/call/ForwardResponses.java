package io.pinhole.proxy.call;

import io.pinhole.proxy.session.SessionTimerHeaders;
import io.pinhole.proxy.session.SessionTimerPolicy;
import io.pinhole.proxy.sip.ServerResponses;
import io.pinhole.proxy.sip.SipMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.CompletableFuture;

/**
 * Answers to requests we forwarded inside a call, handed back to whoever sent them. A 2xx to a
 * re-INVITE or UPDATE also refreshes the call's session timer.
 */
final class ForwardResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardResponses.class);

    private final CallMessages messages;
    private final SipMetrics metrics;
    private final SessionTimerPolicy timers;
    private final SessionTimerHeaders timerHeaders;

    ForwardResponses(CallMessages messages, SipMetrics metrics, SessionTimerPolicy timers,
                     SessionTimerHeaders timerHeaders) {
        this.messages = messages;
        this.metrics = metrics;
        this.timers = timers;
        this.timerHeaders = timerHeaders;
    }

    void onResponse(CallRegistry.Forward forward, Response response) {
        int status = response.getStatusCode();
        if (status == 100) {
            return;
        }
        Call call = forward.call();
        Leg origin = call.leg(forward.from());
        Leg peer = call.leg(forward.from().other());
        String method = forward.request().getMethod();
        if (Request.INVITE.equals(method) && status >= 200 && status < 300 && peer != null) {
            try {
                messages.ack(call, peer.dialog(), peer.flow(), response);
            } catch (Exception e) {
                LOG.warn("call {}: could not ACK the re-INVITE: {}", call.callerCallId, e.toString());
            }
        }
        boolean refreshed = timers.enabled() && status >= 200 && status < 300
                && (Request.INVITE.equals(method) || "UPDATE".equals(method));
        if (refreshed) {
            refresh(call, forward.request(), response);
        }
        String sdp = CallMessages.sdpOf(response);
        CompletableFuture<String> body;
        if (sdp != null && call.media != null && peer != null && origin != null && status < 300
                && (Request.INVITE.equals(method) || "UPDATE".equals(method))) {
            call.heard(forward.from().other(), sdp);
            body = call.media.answer(sdp, origin.relayTag(), peer.relayTag(), peer.flow(), peer.nat().behindNat());
        } else {
            body = CompletableFuture.completedFuture(sdp);
        }
        body.whenComplete((rewritten, error) -> {
            Response out = messages.response(forward.request(), status, response.getReasonPhrase(), null,
                    origin == null ? "UDP" : origin.flow().transport());
            if (error == null && rewritten != null) {
                if (sdp != null && call.media != null) {
                    String towards = call.towards(forward.from(), rewritten, null);
                    messages.setSdp(out, towards);
                    call.told(forward.from(), towards);
                } else {
                    try {
                        out.setContent(response.getRawContent(),
                                (javax.sip.header.ContentTypeHeader) response.getHeader("Content-Type").clone());
                    } catch (java.text.ParseException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            if (refreshed) {
                messages.copyHeader(response, out, SessionTimerHeaders.SESSION_EXPIRES);
                if (SessionTimerHeaders.requiresTimer(response)) {
                    timerHeaders.addRequireTimer(out);
                }
            }
            try {
                ServerResponses.send(forward.origin(), out);
                metrics.responseOut(status);
            } catch (Exception e) {
                LOG.info("call {}: could not relay {} for {}: {}", call.callerCallId, status, method, e.toString());
            }
        });
    }

    /** RFC 4028 §10: a 2xx to a re-INVITE or UPDATE refreshes the session, whichever side sent it. */
    private void refresh(Call call, Request request, Response response) {
        synchronized (call) {
            if (call.session != null) {
                call.session = timers.onRefresh(call.session, SessionTimerHeaders.sessionExpires(request),
                        SessionTimerHeaders.sessionExpires(response));
            }
        }
    }

    void onTimeout(CallRegistry.Forward forward) {
        Call call = forward.call();
        Leg origin = call.leg(forward.from());
        Response out = messages.response(forward.request(), 408, "Request Timeout", null,
                origin == null ? "UDP" : origin.flow().transport());
        try {
            ServerResponses.send(forward.origin(), out);
        } catch (Exception e) {
            LOG.debug("call {}: could not report a timeout: {}", call.callerCallId, e.toString());
        }
    }
}
