package io.pinhole.proxy.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPTransaction;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.pinhole.proxy.flood.FloodGuard;
import io.pinhole.proxy.flood.Screening;
import io.pinhole.sip.RequestDefect;
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
import javax.sip.address.SipURI;
import javax.sip.header.AllowHeader;
import javax.sip.header.ProxyRequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.InetAddress;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The stack's only listener. It only dispatches: it finds the handler for the method and
 * runs it; anything a handler throws becomes a 500 and one log line with the Call-ID.
 * It runs on the stack's threads, so handlers must not block.
 *
 * <p>Before any handler (and before any stateless answer) a request the proxy must not serve is
 * refused on its own transaction: a syntax defect the RI's parser forgave ({@link RequestDefect})
 * or a Request-URI with headers 400, a Proxy-Require the proxy does not support 420 (RFC 3261
 * 16.3). A new request whose branch another, different transaction still holds is answered 500
 * with Retry-After (the RI keys server transactions by branch alone, so it cannot hold both);
 * before, it got no answer at all.
 *
 * <p>First of all, the {@link FloodGuard} looks at every request: one from a banned source or a
 * scanner is dropped (or answered statelessly, as configured) before it costs a transaction.
 */
public final class SipDispatcher implements SipListener {

    private static final Logger LOG = LoggerFactory.getLogger(SipDispatcher.class);
    public static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, UPDATE, INFO, PRACK";
    /** Option tags the proxy supports in Proxy-Require. */
    static final java.util.Set<String> PROXY_EXTENSIONS = java.util.Set.of("outbound");

    private final Map<String, RequestHandler> handlers;
    private final Responder responder;
    private final SipMetrics metrics;
    private final SipFactories factories;
    private final DialogEvents dialogs;
    private final NonInviteLinger linger;
    private final java.util.function.Predicate<javax.sip.message.Response> statelessAnswers;
    private final FloodGuard flood;

    /**
     * @param statelessAnswers takes a response that has no client transaction (answers to the
     *                         requests we send statelessly, such as NAT pings, in a form the UDP
     *                         socket's byte look did not read, or over TCP); true when it was theirs
     */
    public SipDispatcher(List<RequestHandler> handlers, DialogEvents dialogs, Responder responder, SipMetrics metrics,
                         SipFactories factories, NonInviteLinger linger,
                         java.util.function.Predicate<javax.sip.message.Response> statelessAnswers, FloodGuard flood) {
        this.flood = flood;
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
        Screening screening = flood.screen(request);
        if (screening != Screening.PASS) {
            if (screening.answers() && !Request.ACK.equals(method)) {
                responder.replyStatelessly(new NewRequest(request, (SipProvider) event.getSource()), screening.status(),
                        screening.reason(), r -> {
                        });
            }
            return;
        }
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
        Refusal refusal = refusal(request);
        if (refusal == null && transaction == null && handler != null
                && answeredStatelessly(handler, new NewRequest(request, provider))) {
            return;
        }
        try {
            if (transaction == null) {
                addMaxForwards(request);
                transaction = provider.getNewServerTransaction(request);
            }
        } catch (TransactionAlreadyExistsException e) {
            if (!isRetransmission(provider, request)) {
                // the RI keys a server transaction by branch alone: a different request (another
                // method, another sender) with a branch still in use cannot have one of its own
                LOG.warn("{} Call-ID {} reuses branch {} of another transaction: answered 500", method,
                        callIdOf(request), branchOf(request));
                responder.replyStatelessly(new NewRequest(request, provider), 500,
                        "Branch already in use by another transaction", this::retryAfterOneSecond);
            }
            return; // else a retransmission racing its original: the transaction answers it
        } catch (TransactionUnavailableException e) {
            LOG.warn("no server transaction for {} Call-ID {}: {}", method, callIdOf(request), e.getMessage());
            if (e.getCause() instanceof ParseException) {
                // the RI's header check (an RFC 2543 INVITE without Contact): refused, not left unanswered
                responder.replyStatelessly(new NewRequest(request, provider), 400,
                        "Bad Request (" + e.getMessage() + ")", r -> {
                        });
            }
            return;
        }
        linger.apply(transaction);
        IncomingRequest incoming = new IncomingRequest(request, transaction, provider, flowOf(request, provider));
        if (refusal != null) {
            LOG.info("{} Call-ID {} from {}:{} refused: {} {}", method, incoming.callId(), incoming.flow().address(),
                    incoming.flow().port(), refusal.status(), refusal.reason());
            responder.reply(incoming, refusal.status(), refusal.reason(), refusal.decorate());
            return;
        }
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

    /** What refuses a request before any handler sees it. */
    record Refusal(int status, String reason, java.util.function.Consumer<Response> decorate) {
    }

    private Refusal refusal(Request request) {
        RequestDefect defect = RequestDefect.of(request);
        if (defect != null) {
            return new Refusal(defect.status(), (defect.status() == 505 ? "Version Not Supported (" : "Bad Request (")
                    + defect.reason() + ")", r -> {
            });
        }
        if (request.getRequestURI() instanceof SipURI uri && uri.getHeaderNames() != null && uri.getHeaderNames().hasNext()) {
            return new Refusal(400, "Bad Request (headers in the Request-URI)", r -> {
            });
        }
        List<String> unsupported = new ArrayList<>();
        for (var it = request.getHeaders(ProxyRequireHeader.NAME); it != null && it.hasNext(); ) {
            String tag = ((ProxyRequireHeader) it.next()).getOptionTag();
            if (tag != null && !PROXY_EXTENSIONS.contains(tag.toLowerCase(Locale.ROOT))) {
                unsupported.add(tag);
            }
        }
        if (!unsupported.isEmpty()) {
            return new Refusal(420, "Bad Extension", r -> unsupported.forEach(tag -> {
                try {
                    r.addHeader(factories.headers().createUnsupportedHeader(tag));
                } catch (ParseException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        return null;
    }

    /**
     * An RFC 2543 request has no Max-Forwards, which the RI requires before it gives a request a
     * transaction; a proxy adds one with 70 (RFC 3261 16.6 step 3), and so does this.
     */
    private void addMaxForwards(Request request) {
        if (request.getHeader(javax.sip.header.MaxForwardsHeader.NAME) != null) {
            return;
        }
        try {
            request.setHeader(factories.headers().createMaxForwardsHeader(70));
        } catch (javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request belongs to the transaction that holds its branch (RFC 3261 17.2.3 matching). */
    private static boolean isRetransmission(SipProvider provider, Request request) {
        if (!(provider.getSipStack() instanceof SIPTransactionStack stack)) {
            return true;
        }
        SIPTransaction existing = stack.findTransaction((SIPRequest) request, true);
        return existing == null || existing.isMessagePartOfTransaction((SIPRequest) request);
    }

    private static String branchOf(Request request) {
        var via = ((SIPRequest) request).getTopmostVia();
        return via == null ? "-" : via.getBranch();
    }

    private void retryAfterOneSecond(Response response) {
        try {
            response.addHeader(factories.headers().createRetryAfterHeader(1));
        } catch (javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException(e);
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

    static Flow flowOf(Request request, SipProvider provider) {
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
