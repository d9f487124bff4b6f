package io.pinhole.proxy.call;

import io.pinhole.proxy.session.SessionTimerHeaders;
import io.pinhole.proxy.session.SessionTimerPolicy;
import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.message.Request;
import java.util.concurrent.CompletableFuture;

/**
 * Requests inside a bridged call: BYE ends both dialogs; re-INVITE and UPDATE are re-offered to
 * the relay (same ports, new direction or codecs) and forwarded; INFO, OPTIONS and the rest
 * are forwarded as they are. Their responses come back through {@link ForwardResponses}. A
 * re-INVITE or UPDATE is also a session refresh (RFC 4028): its timer headers go along.
 */
final class InDialogHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InDialogHandler.class);

    private final CallRegistry registry;
    private final CallMessages messages;
    private final CallTerminator terminator;
    private final Responder responder;
    private final SipMetrics metrics;
    private final SessionTimerPolicy timers;
    private final SessionTimerHeaders timerHeaders;
    private final java.time.Clock clock;

    InDialogHandler(CallRegistry registry, CallMessages messages, CallTerminator terminator, Responder responder,
                    SipMetrics metrics, SessionTimerPolicy timers, SessionTimerHeaders timerHeaders, java.time.Clock clock) {
        this.clock = clock;
        this.registry = registry;
        this.messages = messages;
        this.terminator = terminator;
        this.responder = responder;
        this.metrics = metrics;
        this.timers = timers;
        this.timerHeaders = timerHeaders;
    }

    void handle(IncomingRequest in, Dialog dialog) {
        var side = registry.sideOf(dialog);
        if (side.isEmpty()) {
            responder.reply(in, 481, "Call/Transaction Does Not Exist");
            return;
        }
        Call call = side.get().call();
        Side from = side.get().side();
        String method = in.request().getMethod();
        if (Request.PRACK.equals(method)) {
            // PRACKs are hop-by-hop here: we sent the reliable provisional, we acknowledge it.
            responder.reply(in, 200, "OK");
            return;
        }
        Leg peer = call.leg(from.other());
        if (peer == null) {
            // The callee leg is not settled yet (early dialog).
            responder.reply(in, Request.INVITE.equals(method) || "UPDATE".equals(method) ? 491 : 481,
                    Request.INVITE.equals(method) || "UPDATE".equals(method) ? "Request Pending" : "Call/Transaction Does Not Exist");
            return;
        }
        if (Request.BYE.equals(method)) {
            responder.reply(in, 200, "OK");
            try {
                messages.sendInDialog(peer.dialog(), peer.flow(), peer.dialog().createRequest(Request.BYE));
            } catch (Exception e) {
                LOG.info("call {}: BYE towards the {} failed: {}", call.callerCallId, from.other(), e.toString());
            }
            terminator.end(call, "answered", 200);
            return;
        }
        forward(in, call, from, peer);
    }

    private void forward(IncomingRequest in, Call call, Side from, Leg peer) {
        Request request = in.request();
        String method = request.getMethod();
        String sdp = CallMessages.sdpOf(request);
        boolean offer = sdp != null && call.media != null
                && (Request.INVITE.equals(method) || "UPDATE".equals(method));
        CompletableFuture<String> body;
        if (offer) {
            // The phone's own offer goes through the relay: a punched call is relayed again from now on.
            call.renegotiated(clock.instant());
            call.heard(from, sdp);
            Leg origin = call.leg(from);
            body = call.media.offer(sdp, origin.relayTag(), peer.relayTag(), origin.flow(), origin.nat().behindNat());
        } else {
            body = CompletableFuture.completedFuture(null);
        }
        body.whenComplete((rewritten, error) -> {
            if (error != null) {
                LOG.warn("call {}: relay refused the re-offer: {}", call.callerCallId, error.getMessage());
                responder.reply(in, 488, "Not Acceptable Here");
                return;
            }
            try {
                Request out = peer.dialog().createRequest(method);
                if (offer) {
                    String towards = call.towards(from.other(), rewritten, null);
                    messages.setSdp(out, towards);
                    call.told(from.other(), towards);
                } else if (request.getRawContent() != null) {
                    out.setContent(request.getRawContent(),
                            (javax.sip.header.ContentTypeHeader) request.getHeader("Content-Type").clone());
                }
                messages.copyHeader(request, out, "Content-Disposition");
                messages.copyHeader(request, out, "Info-Package");
                if (timers.enabled() && (Request.INVITE.equals(method) || "UPDATE".equals(method))) {
                    // A session refresh: the other side renegotiates the interval as the sender
                    // asked (RFC 4028 §7.4); its 2xx comes back through ForwardResponses.
                    messages.copyHeader(request, out, SessionTimerHeaders.SESSION_EXPIRES);
                    messages.copyHeader(request, out, SessionTimerHeaders.MIN_SE);
                    if (SessionTimerHeaders.supportsTimer(request)) {
                        timerHeaders.addSupportedTimer(out);
                    }
                }
                io.pinhole.proxy.sip.FlowRouter.route(out, peer.flow());
                // the answer goes back with the request we were sent: this one is not read after it
                ClientTransaction transaction = io.pinhole.proxy.sip.RequestRelease.atFinalResponse(
                        messages.provider(peer.flow()).getNewClientTransaction(out));
                registry.addForward(transaction, new CallRegistry.Forward(call, from, in.transaction(), request));
                peer.dialog().sendRequest(transaction);
            } catch (Exception e) {
                // Most often glare: our own INVITE on that dialog is still pending.
                boolean glare = Request.INVITE.equals(method) || "UPDATE".equals(method);
                LOG.info("call {}: {} towards the {} not sent: {}", call.callerCallId, method, from.other(), e.toString());
                responder.reply(in, glare ? 491 : 500, glare ? "Request Pending" : "Server Internal Error");
            }
        });
    }
}
