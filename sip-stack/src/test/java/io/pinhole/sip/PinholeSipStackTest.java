package io.pinhole.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransactionImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sip.SipFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class PinholeSipStackTest {

    private PinholeSipStack stack;
    private MessageChannel channel;
    private CountingClientTransaction pending;

    @BeforeEach
    void start() throws Exception {
        stack = new PinholeSipStack(SipStackSettings.defaults("pinhole-stack-test").toProperties());
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ListeningPointImpl point = (ListeningPointImpl) stack.createListeningPoint("127.0.0.1", port, "udp");
        channel = point.getMessageProcessor().createMessageChannel(InetAddress.getLoopbackAddress(), 5060);
        pending = new CountingClientTransaction(stack, channel);
        pending.setOriginalRequest(request("z9hG4bK-pending"));
        stack.addTransaction(pending);
    }

    @AfterEach
    void stop() {
        stack.stop();
    }

    @Test
    void aResponseToNoTransactionIsNotComparedWithEveryClientTransaction() throws Exception {
        assertThat(stack.newSIPServerResponse(response("z9hG4bK-gone"), channel)).isNotNull();

        assertThat(pending.asked).isZero();
    }

    @Test
    void aResponseToItsTransactionStillFindsIt() throws Exception {
        stack.newSIPServerResponse(response("z9hG4bK-PENDING"), channel);

        assertThat(stack.findTransaction(response("z9hG4bK-PENDING"), false)).isSameAs(pending);
        assertThat(pending.asked).isPositive(); // the RI's own check of the transaction found by key
    }

    @Test
    void aResponseWithoutAnRfc3261BranchIsLeftToTheRisSearch() throws Exception {
        stack.newSIPServerResponse(response("old-style-1"), channel);

        assertThat(pending.asked).isPositive();
    }

    private static SIPRequest request(String branch) throws Exception {
        return (SIPRequest) SipFactory.getInstance().createMessageFactory().createRequest(
                "INVITE sip:bob@example.test SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" + branch + "\r\n"
                        + "From: <sip:alice@example.test>;tag=a1\r\nTo: <sip:bob@example.test>\r\n"
                        + "Call-ID: scan@127.0.0.1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
                        + "Contact: <sip:alice@127.0.0.1:5070>\r\nContent-Length: 0\r\n\r\n");
    }

    private static SIPResponse response(String branch) throws Exception {
        return (SIPResponse) SipFactory.getInstance().createMessageFactory().createResponse(
                "SIP/2.0 200 OK\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" + branch + "\r\n"
                        + "From: <sip:alice@example.test>;tag=a1\r\nTo: <sip:bob@example.test>;tag=b1\r\n"
                        + "Call-ID: scan@127.0.0.1\r\nCSeq: 1 INVITE\r\n"
                        + "Contact: <sip:bob@127.0.0.1:5080>\r\nContent-Length: 0\r\n\r\n");
    }

    /** A client transaction that counts how often the stack compares a response with it. */
    private static final class CountingClientTransaction extends SIPClientTransactionImpl {
        int asked;

        CountingClientTransaction(SIPTransactionStack stack, MessageChannel channel) {
            super(stack, channel);
        }

        @Override
        public boolean isMessagePartOfTransaction(SIPMessage message) {
            asked++;
            return super.isMessagePartOfTransaction(message);
        }
    }
}
