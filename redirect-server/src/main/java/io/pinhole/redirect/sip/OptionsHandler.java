package io.pinhole.redirect.sip;

import javax.sip.RequestEvent;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * OPTIONS: addressed to this server itself (no user part, one of its own host names) it is a
 * proxy asking whether the redirect server is alive, answered 200 with what it allows (RFC 3261
 * 11.2); addressed to anyone else it is routed like an INVITE.
 */
final class OptionsHandler implements RequestHandler {

    private static final List<String> ALLOWED = List.of(Request.INVITE, Request.ACK, Request.CANCEL, Request.OPTIONS);

    private final Set<String> ownHosts;
    private final RequestValidator validator;
    private final Responder responder;
    private final HeaderFactory headers;
    private final RequestHandler routed;

    OptionsHandler(Set<String> ownHosts, RequestValidator validator, Responder responder, HeaderFactory headers,
                   RequestHandler routed) {
        this.ownHosts = ownHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.validator = validator;
        this.responder = responder;
        this.headers = headers;
        this.routed = routed;
    }

    @Override
    public void handle(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        if (!isForThisServer(request) || validator.check(request) != null || RequestValidator.isInDialog(request)) {
            routed.handle(event); // routing, or the rejection the redirect handler gives
            return;
        }
        Response response = responder.create(request, 200, null);
        for (String method : ALLOWED) {
            response.addHeader(headers.createAllowHeader(method));
        }
        responder.send(event, response);
    }

    private boolean isForThisServer(Request request) {
        return request.getRequestURI() instanceof SipURI uri
                && (uri.getUser() == null || uri.getUser().isEmpty())
                && uri.getHost() != null
                && ownHosts.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }
}
