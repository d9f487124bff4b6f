package io.pinhole.redirect.sip;

import io.pinhole.redirect.config.RedirectProperties.ResponseMode;
import io.pinhole.sip.ResponseBuilder;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.List;

/**
 * Builds and sends answers. In {@link ResponseMode#STATELESS} the answer goes straight to the
 * transport named by the top Via (with received/rport); a retransmitted request is answered
 * again, identically apart from the Contact order. In {@link ResponseMode#TRANSACTION} each
 * request gets a server transaction that absorbs retransmissions and the ACK itself.
 */
final class Responder {

    private final ResponseBuilder responses;
    private final HeaderFactory headers;
    private final ResponseMode mode;

    Responder(MessageFactory messages, HeaderFactory headers, ResponseMode mode, ToTag toTag) {
        // the tag derived from the request (a retransmission gets the same one), no Server header
        this.responses = new ResponseBuilder(messages, headers, toTag::of, List.of());
        this.headers = headers;
        this.mode = mode;
    }

    Response create(Request request, int statusCode, String reason) throws Exception {
        return responses.create(request, statusCode, reason);
    }

    void reject(RequestEvent event, Rejection rejection) throws Exception {
        Response response = create(event.getRequest(), rejection.statusCode(), rejection.reason());
        if (!rejection.unsupported().isEmpty()) {
            response.addHeader(headers.createUnsupportedHeader(String.join(", ", rejection.unsupported())));
        }
        send(event, response);
    }

    void send(RequestEvent event, Response response) throws Exception {
        SipProvider provider = (SipProvider) event.getSource();
        if (mode == ResponseMode.STATELESS) {
            try {
                provider.sendResponse(response);
            } catch (SipException e) {
                // the top Via names a transport or port this server cannot send to
                throw new UnanswerableRequestException(e.getMessage(), e);
            }
            return;
        }
        ServerTransaction transaction = event.getServerTransaction();
        if (transaction == null) {
            try {
                transaction = provider.getNewServerTransaction(event.getRequest());
            } catch (TransactionAlreadyExistsException retransmission) {
                return; // the existing transaction resends its answer
            }
        }
        transaction.sendResponse(response);
    }
}
