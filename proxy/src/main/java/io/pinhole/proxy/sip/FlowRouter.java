package io.pinhole.proxy.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPTransactionStack;

import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;
import java.util.ListIterator;
import java.util.function.Function;

/**
 * Sends a request along the flow its target registered or called from (the packet source
 * address, port and transport) when the request carries one, as Kamailio does with the
 * destination URI: the Request-URI keeps the phone's private Contact, the packet goes to its
 * NAT. An ACK the stack sends again by itself goes along its dialog's flow ({@link DialogFlow}).
 * Requests without a flow are routed as JAIN-SIP's default router would.
 */
public final class FlowRouter implements Router {

    private final Router fallback;
    /** A dialog's application data by dialog id, null when there is no such dialog. */
    private final Function<String, Object> dialogData;

    /** The constructor signature the RI instantiates routers with ({@code javax.sip.ROUTER_PATH}). */
    public FlowRouter(SipStack stack, String outboundProxy) {
        this(new DefaultRouter(stack, outboundProxy), id -> {
            SIPDialog dialog = stack instanceof SIPTransactionStack s ? s.getDialog(id) : null;
            return dialog == null ? null : dialog.getApplicationData();
        });
    }

    FlowRouter(Router fallback, Function<String, Object> dialogData) {
        this.fallback = fallback;
        this.dialogData = dialogData;
    }

    /** Marks a request to be sent along {@code flow}. */
    public static void route(Request request, Flow flow) {
        ((SIPRequest) request).setApplicationData(flow);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        Flow flow = flowOf(request);
        if (flow != null) {
            return new HopImpl(flow.address(), flow.port(), flow.transport().toLowerCase(java.util.Locale.ROOT));
        }
        return fallback.getNextHop(request);
    }

    /**
     * The flow a request was marked with; for an ACK without one, its dialog's. The RI ACKs a
     * retransmitted 2xx by itself (the phone did not get our ACK in time, or answered a
     * retransmission of our INVITE: a stalled proxy under load): it parses again the ACK it kept
     * as text, which has lost its mark. Sent to its Request-URI, the phone's private Contact, it
     * never arrived, or failed to send, and then the RI ended the dialog, and the proxy the call
     * (408, "dialog ended without BYE": issue 16's bench, a few calls in 1,000 at load 20-36).
     */
    private Flow flowOf(Request request) {
        if (!(request instanceof SIPRequest sip)) {
            return null;
        }
        if (sip.getApplicationData() instanceof Flow flow) {
            return flow;
        }
        if (Request.ACK.equals(sip.getMethod()) && dialogData.apply(sip.getDialogId(false)) instanceof DialogFlow dialog) {
            return dialog.flow();
        }
        return null;
    }

    @Override
    @SuppressWarnings("deprecation")
    public ListIterator getNextHops(Request request) {
        return fallback.getNextHops(request);
    }

    @Override
    public Hop getOutboundProxy() {
        return fallback.getOutboundProxy();
    }
}
