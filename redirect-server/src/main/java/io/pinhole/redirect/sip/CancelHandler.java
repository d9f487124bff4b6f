package io.pinhole.redirect.sip;

import javax.sip.RequestEvent;
import javax.sip.message.Request;

/**
 * CANCEL: every INVITE here gets its final answer at once, so there is never anything left to
 * cancel; RFC 3261 9.2 then answers the CANCEL itself with 200 (the INVITE is unaffected).
 */
final class CancelHandler implements RequestHandler {

    private final RequestValidator validator;
    private final Responder responder;

    CancelHandler(RequestValidator validator, Responder responder) {
        this.validator = validator;
        this.responder = responder;
    }

    @Override
    public void handle(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        Rejection rejection = validator.check(request);
        if (rejection != null) {
            responder.reject(event, rejection);
            return;
        }
        responder.send(event, responder.create(request, 200, null));
    }
}
