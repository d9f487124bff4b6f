package io.pinhole.redirect.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import java.util.Map;

/**
 * The one listener of the stack. It only picks the handler for the method; whatever a handler
 * throws becomes a 500 and one log line, so no request goes unanswered and the stack's thread
 * is never lost.
 */
final class RedirectListener implements SipListener {

    private static final Logger LOG = LoggerFactory.getLogger(RedirectListener.class);

    private final Map<String, RequestHandler> byMethod;
    private final RequestHandler otherwise;
    private final Responder responder;

    RedirectListener(Map<String, RequestHandler> byMethod, RequestHandler otherwise, Responder responder) {
        this.byMethod = Map.copyOf(byMethod);
        this.otherwise = otherwise;
        this.responder = responder;
    }

    @Override
    public void processRequest(RequestEvent event) {
        String method = event.getRequest().getMethod();
        try {
            byMethod.getOrDefault(method, otherwise).handle(event);
        } catch (UnanswerableRequestException e) {
            LOG.info("{} not answered: {} (Call-ID {})", method, e.getMessage(),
                    RedirectHandler.callId(event.getRequest()));
        } catch (Exception e) {
            LOG.warn("{} failed, answering 500: {} (Call-ID {})", method, e.toString(),
                    RedirectHandler.callId(event.getRequest()));
            if (!"ACK".equals(method)) {
                try {
                    responder.send(event, responder.create(event.getRequest(), 500, "Server Internal Error"));
                } catch (Exception again) {
                    LOG.warn("could not send 500: {}", again.toString());
                }
            }
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        // a redirect server sends no requests: a response here is stray and is dropped
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        // transaction mode: a 3xx whose ACK never came; nothing to clean up
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.debug("I/O error towards {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }
}
