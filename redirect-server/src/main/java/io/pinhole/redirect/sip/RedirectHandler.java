package io.pinhole.redirect.sip;

import io.pinhole.redirect.routing.CurrentRoutes;
import io.pinhole.redirect.routing.Redirect;
import io.pinhole.redirect.routing.RouteDecision;
import io.pinhole.redirect.routing.WeightedOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.RequestEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * INVITE, OPTIONS and every other out-of-dialog request: validate, look the Request-URI up in
 * the in-memory route table, answer 301/302 with the Contacts, or 404.
 */
final class RedirectHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RedirectHandler.class);

    private final CurrentRoutes routes;
    private final RequestValidator validator;
    private final Responder responder;
    private final HeaderFactory headers;
    private final ResponseCounters counters;
    private final int maxContacts;

    RedirectHandler(CurrentRoutes routes, RequestValidator validator, Responder responder,
                    HeaderFactory headers, ResponseCounters counters, int maxContacts) {
        this.routes = routes;
        this.validator = validator;
        this.responder = responder;
        this.headers = headers;
        this.counters = counters;
        this.maxContacts = maxContacts;
    }

    @Override
    public void handle(RequestEvent event) throws Exception {
        Request request = event.getRequest();
        Rejection rejection = validator.check(request);
        if (rejection == null && RequestValidator.isInDialog(request)) {
            rejection = new Rejection(481, "Call/Transaction Does Not Exist", List.of());
        }
        if (rejection != null) {
            LOG.info("{} {} rejected {} {}: Call-ID {}", request.getMethod(), request.getRequestURI(),
                    rejection.statusCode(), rejection.reason(), callId(request));
            counters.count(rejection.statusCode());
            responder.reject(event, rejection);
            return;
        }
        RouteDecision decision = routes.table().lookup(request.getRequestURI());
        Response response = responder.create(request, decision.statusCode(), null);
        if (decision.outcome().isRedirect()) {
            List<Redirect> ordered = WeightedOrder.arrange(decision.redirects(), ThreadLocalRandom.current());
            for (int i = 0; i < ordered.size() && i < maxContacts; i++) {
                response.addHeader(headers.createHeader("Contact", ordered.get(i).contactValue()));
            }
        }
        counters.count(decision.statusCode());
        responder.send(event, response);
    }

    static String callId(Request request) {
        CallIdHeader id = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        return id == null ? "-" : id.getCallId();
    }
}
