package io.pinhole.redirect.sip;

import io.pinhole.redirect.config.RedirectProperties.ResponseMode;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Builds and sends answers. In {@link ResponseMode#STATELESS} the answer goes straight to the
 * transport named by the top Via (with received/rport); a retransmitted request is answered
 * again, identically apart from the Contact order. In {@link ResponseMode#TRANSACTION} each
 * request gets a server transaction that absorbs retransmissions and the ACK itself.
 */
final class Responder {

    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final ResponseMode mode;
    private final ToTag toTag;

    Responder(MessageFactory messages, HeaderFactory headers, ResponseMode mode, ToTag toTag) {
        this.messages = messages;
        this.headers = headers;
        this.mode = mode;
        this.toTag = toTag;
    }

    Response create(Request request, int statusCode, String reason) throws Exception {
        Response response = messages.createResponse(statusCode, request);
        if (reason != null) {
            response.setReasonPhrase(reason);
        }
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (to != null && to.getTag() == null) {
            to.setTag(toTag.of(request));
        }
        return response;
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
