package io.pinhole.proxy.sip;

import gov.nist.javax.sip.message.SIPRequest;
import io.pinhole.proxy.registrar.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.AllowHeader;
import javax.sip.message.Request;
import java.net.InetAddress;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The stack's only listener. It only dispatches: it finds the handler for the method and
 * runs it; anything a handler throws becomes a 500 and one log line with the Call-ID.
 * It runs on the stack's threads, so handlers must not block.
 */
public final class SipDispatcher implements SipListener {

    private static final Logger LOG = LoggerFactory.getLogger(SipDispatcher.class);
    public static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, UPDATE, INFO, PRACK";

    private final Map<String, RequestHandler> handlers;
    private final Responder responder;
    private final SipMetrics metrics;
    private final SipFactories factories;
    private final DialogEvents dialogs;
    private final NonInviteLinger linger;
    private final java.util.function.Predicate<javax.sip.message.Response> statelessAnswers;

    /**
     * @param statelessAnswers takes a response that has no client transaction (answers to the
     *                         requests we send statelessly, such as NAT pings); true when it was theirs
     */
    public SipDispatcher(List<RequestHandler> handlers, DialogEvents dialogs, Responder responder, SipMetrics metrics,
                         SipFactories factories, NonInviteLinger linger,
                         java.util.function.Predicate<javax.sip.message.Response> statelessAnswers) {
        this.linger = linger;
        this.statelessAnswers = statelessAnswers;
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(RequestHandler::method, Function.identity()));
        this.responder = responder;
        this.metrics = metrics;
        this.factories = factories;
        this.dialogs = dialogs;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        metrics.requestIn(method);
        if (Request.ACK.equals(method)) {
            // ACKs of our non-2xx final responses are absorbed by the transaction layer (or, for
            // a stateless answer, dropped here);
            // ACKs of 2xx belong to a dialog.
            if (event.getDialog() != null) {
                runSafely(method, request, () -> dialogs.ack(event));
            }
            return;
        }
        SipProvider provider = (SipProvider) event.getSource();
        ServerTransaction transaction = event.getServerTransaction();
        boolean inDialog = !Request.CANCEL.equals(method) && hasToTag(request);
        RequestHandler handler = inDialog ? null : handlers.get(method);
        if (transaction == null && handler != null && answeredStatelessly(handler, new NewRequest(request, provider))) {
            return;
        }
        try {
            if (transaction == null) {
                transaction = provider.getNewServerTransaction(request);
            }
        } catch (TransactionAlreadyExistsException e) {
            return; // a retransmission racing its original: the transaction answers it
        } catch (TransactionUnavailableException e) {
            LOG.warn("no server transaction for {} Call-ID {}: {}", method, callIdOf(request), e.getMessage());
            return;
        }
        linger.apply(transaction);
        IncomingRequest incoming = new IncomingRequest(request, transaction, provider, flowOf(request, provider));
        if (inDialog) {
            try {
                dialogs.request(incoming, event.getDialog());
            } catch (RuntimeException e) {
                LOG.error("in-dialog {} failed for Call-ID {}", method, incoming.callId(), e);
                responder.reply(incoming, 500, "Server Internal Error");
            }
            return;
        }
        if (handler == null) {
            responder.reply(incoming, 405, "Method Not Allowed", response -> {
                try {
                    AllowHeader header = factories.headers().createAllowHeader(ALLOW);
                    response.addHeader(header);
                } catch (ParseException e) {
                    throw new IllegalStateException(e);
                }
            });
            return;
        }
        try {
            handler.handle(incoming);
        } catch (RuntimeException e) {
            LOG.error("{} handler failed for Call-ID {}", method, incoming.callId(), e);
            responder.reply(incoming, 500, "Server Internal Error");
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        metrics.responseIn(event.getResponse().getStatusCode());
        if (event.getClientTransaction() == null && statelessAnswers.test(event.getResponse())) {
            return;
        }
        runSafely("response", null, () -> dialogs.response(event));
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            runSafely("timeout", null, () -> dialogs.timeout(event));
        }
    }

    private boolean answeredStatelessly(RequestHandler handler, NewRequest request) {
        try {
            return handler.answeredStatelessly(request);
        } catch (RuntimeException e) {
            // The stateful path answers it (and reports what fails there too).
            LOG.error("{} first look failed for Call-ID {}", request.request().getMethod(), callIdOf(request.request()), e);
            return false;
        }
    }

    private static boolean hasToTag(Request request) {
        var to = (javax.sip.header.ToHeader) request.getHeader(javax.sip.header.ToHeader.NAME);
        return to != null && to.getTag() != null;
    }

    private static void runSafely(String what, Request request, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("{} handling failed for Call-ID {}", what, request == null ? "-" : callIdOf(request), e);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.debug("I/O error towards {}:{} over {}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        runSafely("dialog end", null, () -> dialogs.dialogTerminated(event.getDialog()));
    }

    private static Flow flowOf(Request request, SipProvider provider) {
        SIPRequest sipRequest = (SIPRequest) request;
        InetAddress source = sipRequest.getPeerPacketSourceAddress() != null
                ? sipRequest.getPeerPacketSourceAddress() : sipRequest.getRemoteAddress();
        int port = sipRequest.getPeerPacketSourcePort() > 0
                ? sipRequest.getPeerPacketSourcePort() : sipRequest.getRemotePort();
        String transport = provider.getListeningPoints()[0].getTransport().toUpperCase(Locale.ROOT);
        return new Flow(source == null ? "0.0.0.0" : source.getHostAddress(), port, transport);
    }

    private static String callIdOf(Request request) {
        var header = (javax.sip.header.CallIdHeader) request.getHeader("Call-ID");
        return header == null ? "-" : header.getCallId();
    }
}
