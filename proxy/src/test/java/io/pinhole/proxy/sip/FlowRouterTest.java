package io.pinhole.proxy.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.stack.HopImpl;
import java.util.ListIterator;
import java.util.Map;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

class FlowRouterTest {

    private static final Flow ALICE_NAT = new Flow("203.0.113.11", 5060, "UDP");

    /** Stands in for JAIN-SIP's default router: the Request-URI's host, the phone's private Contact. */
    private static final Router BY_REQUEST_URI = new Router() {
        @Override
        public Hop getNextHop(Request request) {
            var uri = (javax.sip.address.SipURI) request.getRequestURI();
            return new HopImpl(uri.getHost(), uri.getPort(), "udp");
        }

        @Override
        @SuppressWarnings("deprecation")
        public ListIterator getNextHops(Request request) {
            return null;
        }

        @Override
        public Hop getOutboundProxy() {
            return null;
        }
    };

    private static Request parse(String method, int cseq) throws Exception {
        String text = method + " sip:alice@10.0.1.2:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-ack-1\r\n"
                + "From: <sip:bob@punch.example>;tag=ours\r\n"
                + "To: <sip:alice@punch.example>;tag=theirs\r\n"
                + "Call-ID: call-1\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
        return new MessageFactoryImpl().createRequest(text);
    }

    private static final FlowRouter ROUTER = new FlowRouter(BY_REQUEST_URI,
            Map.<String, Object>of("call-1:ours:theirs", (DialogFlow) () -> ALICE_NAT)::get);

    @Test
    void aMarkedRequestGoesAlongItsFlow() throws Exception {
        Request bye = parse("BYE", 3);
        FlowRouter.route(bye, ALICE_NAT);

        assertThat(ROUTER.getNextHop(bye).toString()).isEqualTo("203.0.113.11:5060/udp");
    }

    @Test
    void anAckTheStackSendsAgainFromItsTextGoesAlongItsDialogsFlowNotToThePrivateContact() throws Exception {
        // The RI keeps the ACK it sent as text and parses it again to ACK a retransmitted 2xx: the
        // mark is gone, the dialog still knows the way.
        Request resent = parse("ACK", 2);

        assertThat(ROUTER.getNextHop(resent).toString()).isEqualTo("203.0.113.11:5060/udp");
    }

    @Test
    void otherUnmarkedRequestsAndAcksOfUnknownDialogsAreRoutedAsTheStackWould() throws Exception {
        FlowRouter noDialogs = new FlowRouter(BY_REQUEST_URI, id -> null);

        assertThat(ROUTER.getNextHop(parse("OPTIONS", 4)).toString()).isEqualTo("10.0.1.2:5060/udp");
        assertThat(noDialogs.getNextHop(parse("ACK", 2)).toString()).isEqualTo("10.0.1.2:5060/udp");
    }
}
