package io.pinhole.proxy.sip;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;

import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;
import java.util.ListIterator;

/**
 * Sends a request along the flow its target registered or called from (the packet source
 * address, port and transport) when the request carries one, as Kamailio does with the
 * destination URI: the Request-URI keeps the phone's private Contact, the packet goes to its
 * NAT. Requests without a flow are routed as JAIN-SIP's default router would.
 */
public final class FlowRouter implements Router {

    private final DefaultRouter fallback;

    /** The constructor signature the RI instantiates routers with ({@code javax.sip.ROUTER_PATH}). */
    public FlowRouter(SipStack stack, String outboundProxy) {
        this.fallback = new DefaultRouter(stack, outboundProxy);
    }

    /** Marks a request to be sent along {@code flow}. */
    public static void route(Request request, Flow flow) {
        ((SIPRequest) request).setApplicationData(flow);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (request instanceof SIPRequest sip && sip.getApplicationData() instanceof Flow flow) {
            return new HopImpl(flow.address(), flow.port(), flow.transport().toLowerCase(java.util.Locale.ROOT));
        }
        return fallback.getNextHop(request);
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
