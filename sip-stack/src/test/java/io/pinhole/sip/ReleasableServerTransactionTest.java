package io.pinhole.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sip.SipFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ReleasableServerTransactionTest {

    private static final String RFC3261_VIA = "SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK-reg1";
    private static final String RFC2543_VIA = "SIP/2.0/UDP 192.0.2.7:5060";

    private PinholeSipStack stack;
    private MessageChannel channel;

    @BeforeEach
    void start() throws Exception {
        stack = new PinholeSipStack(SipStackSettings.defaults("releasable-test").toProperties());
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ListeningPointImpl point = (ListeningPointImpl) stack.createListeningPoint("127.0.0.1", port, "udp");
        channel = point.getMessageProcessor().createMessageChannel(InetAddress.getLoopbackAddress(), 5060);
    }

    @AfterEach
    void stop() {
        stack.stop();
    }

    @Test
    void theStackMakesReleasableServerTransactions() {
        assertThat(stack.createServerTransaction(channel)).isInstanceOf(ReleasableServerTransaction.class);
    }

    @Test
    void aReleasedTransactionOfAnRfc3261RequestIsNoRfc2543RequestsTransaction() throws Exception {
        ReleasableServerTransaction transaction = transactionOf(request(RFC3261_VIA));
        transaction.setReleaseReferencesStrategy(ReleaseReferencesStrategy.Aggressive);
        transaction.cleanUp(); // what the RI does at the final response: the request is gone
        assertThat(transaction.getRequest()).isNull();

        // the RI's own comparison read the missing request: a NullPointerException inside the stack
        assertThat(transaction.isMessagePartOfTransaction(request(RFC2543_VIA))).isFalse();
        assertThat(transaction.mayReleaseRequest()).isTrue();
    }

    @Test
    void anRfc2543RequestsTransactionKeepsItsRequestAndMatchesItsRetransmission() throws Exception {
        ReleasableServerTransaction transaction = transactionOf(request(RFC2543_VIA));

        assertThat(transaction.mayReleaseRequest()).isFalse();
        assertThat(transaction.isMessagePartOfTransaction(request(RFC2543_VIA))).isTrue();
    }

    @Test
    void anRfc3261RequestsTransactionStillMatchesByBranch() throws Exception {
        ReleasableServerTransaction transaction = transactionOf(request(RFC3261_VIA));

        assertThat(transaction.isMessagePartOfTransaction(request(RFC3261_VIA))).isTrue();
        assertThat(transaction.isMessagePartOfTransaction(request(RFC3261_VIA.replace("reg1", "reg2")))).isFalse();
    }

    @Test
    void theMagicCookieCountsInAnyCase() {
        assertThat(Rfc3261Branch.isOne("z9hG4bK-x")).isTrue();
        assertThat(Rfc3261Branch.isOne("Z9HG4BK")).isTrue();
        assertThat(Rfc3261Branch.isOne("z9hG4b")).isFalse();
        assertThat(Rfc3261Branch.isOne("1234")).isFalse();
        assertThat(Rfc3261Branch.isOne(null)).isFalse();
    }

    private ReleasableServerTransaction transactionOf(SIPRequest request) {
        SIPServerTransaction transaction = stack.createServerTransaction(channel);
        transaction.setOriginalRequest(request);
        return (ReleasableServerTransaction) transaction;
    }

    private static SIPRequest request(String via) throws Exception {
        return (SIPRequest) SipFactory.getInstance().createMessageFactory().createRequest(
                "REGISTER sip:example.test SIP/2.0\r\n"
                        + "Via: " + via + "\r\n"
                        + "From: <sip:alice@example.test>;tag=a1\r\nTo: <sip:alice@example.test>\r\n"
                        + "Call-ID: releasable@192.0.2.7\r\nCSeq: 7 REGISTER\r\nMax-Forwards: 70\r\n"
                        + "Contact: <sip:alice@192.0.2.7:5060>\r\nContent-Length: 0\r\n\r\n");
    }
}
