package io.pinhole.proxy.call;

import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.RequestHandler;
import io.pinhole.proxy.sip.Responder;

import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/** CANCEL of a call not yet answered: 200 for the CANCEL, CANCEL every fork, 487 to the caller. */
public final class CancelHandler implements RequestHandler {

    private final CallRegistry registry;
    private final ForkHangups hangups;
    private final CallFailure failure;
    private final Responder responder;
    private final ConferenceEntry conferences;

    CancelHandler(CallRegistry registry, ForkHangups hangups, CallFailure failure, Responder responder,
                  ConferenceEntry conferences) {
        this.conferences = conferences;
        this.registry = registry;
        this.hangups = hangups;
        this.failure = failure;
        this.responder = responder;
    }

    @Override
    public String method() {
        return Request.CANCEL;
    }

    @Override
    public void handle(IncomingRequest in) {
        String branch = ((ViaHeader) in.request().getHeader(ViaHeader.NAME)).getBranch();
        var call = registry.byInvite(CallRegistry.inviteKey(in.callId(), branch));
        if (call.isEmpty()) {
            if (conferences.cancel(in)) {
                return; // a conference party's INVITE, answered there
            }
            responder.reply(in, 481, "Call/Transaction Does Not Exist");
            return;
        }
        responder.reply(in, 200, "OK");
        synchronized (call.get()) {
            if (call.get().state == Call.State.ANSWERED || call.get().state == Call.State.ENDED) {
                return; // too late: the call is up (the caller will BYE) or already over
            }
        }
        hangups.cancelAll(call.get());
        failure.fail(call.get(), 487, "Request Terminated");
    }
}
