package io.pinhole.proxy.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.TransactionExt;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import io.pinhole.sip.PinholeSipStack;
import io.pinhole.sip.SipStackSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.message.Request;
import java.lang.reflect.Proxy;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NonInviteLingerTest {

    @Test
    void timerJOfFiveSecondsIsSixtyFourTicksOfSeventyEightMilliseconds() {
        assertThat(NonInviteLinger.tickMillis(Duration.ofSeconds(5))).isEqualTo(78);
    }

    @Test
    void neverLongerThanTheStandardThirtyTwoSecondsNorShorterThanOneTick() {
        assertThat(NonInviteLinger.tickMillis(Duration.ofMinutes(5))).isEqualTo(500);
        assertThat(NonInviteLinger.tickMillis(Duration.ZERO)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYE", "OPTIONS", "REGISTER", "INFO", "UPDATE", "CANCEL"})
    void aNonInviteServerTransactionTheStackDidNotMakeLingersShortlyAndKeepsItsRequest(String method) throws Exception {
        Map<String, Object> calls = transactionCalls(method);

        // only a ReleasableServerTransaction keeps the RI from reading a released request (see NonInviteLinger)
        assertThat(calls).doesNotContainKey("setReleaseReferencesStrategy")
                .containsEntry("setRetransmitTimer", 78);
    }

    @Test
    void anInviteTransactionKeepsTheStacksStrategyAndTimers() throws Exception {
        assertThat(transactionCalls("INVITE")).isEmpty();
    }

    /** What {@link NonInviteLinger#apply} set on a server transaction of {@code method}: setter name to value. */
    private static Map<String, Object> transactionCalls(String method) throws Exception {
        Request request = SipFactory.getInstance().createMessageFactory().createRequest(
                method + " sip:uas@example.test SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-linger\r\n"
                        + "From: <sip:ua@example.test>;tag=1\r\nTo: <sip:uas@example.test>\r\n"
                        + "Call-ID: linger@example.test\r\nCSeq: 1 " + method + "\r\nMax-Forwards: 70\r\n"
                        + "Content-Length: 0\r\n\r\n");
        Map<String, Object> calls = new HashMap<>();
        ServerTransaction transaction = (ServerTransaction) Proxy.newProxyInstance(NonInviteLingerTest.class.getClassLoader(),
                new Class<?>[]{ServerTransaction.class, TransactionExt.class}, (proxy, m, args) -> {
                    if (m.getName().equals("getRequest")) {
                        return request;
                    }
                    if (m.getName().startsWith("set")) {
                        calls.put(m.getName(), args[0]);
                    }
                    return null;
                });
        new NonInviteLinger(Duration.ofSeconds(5)).apply(transaction);
        return calls;
    }

    @Test
    void anRfc3261RegistersTransactionLetsGoOfItsRequestAnRfc2543OnesKeepsIt() throws Exception {
        PinholeSipStack stack = new PinholeSipStack(SipStackSettings.defaults("linger-release-test").toProperties());
        try {
            int port;
            try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            ListeningPointImpl point = (ListeningPointImpl) stack.createListeningPoint("127.0.0.1", port, "udp");
            MessageChannel channel = point.getMessageProcessor().createMessageChannel(InetAddress.getLoopbackAddress(), 5070);
            NonInviteLinger linger = new NonInviteLinger(Duration.ofSeconds(5));

            SIPServerTransaction rfc3261 = stack.createServerTransaction(channel);
            rfc3261.setOriginalRequest(register(";branch=z9hG4bK-linger"));
            linger.apply(rfc3261);
            SIPServerTransaction rfc2543 = stack.createServerTransaction(channel);
            rfc2543.setOriginalRequest(register(""));
            linger.apply(rfc2543);

            assertThat(((TransactionExt) rfc3261).getReleaseReferencesStrategy()).isEqualTo(ReleaseReferencesStrategy.Aggressive);
            assertThat(((TransactionExt) rfc2543).getReleaseReferencesStrategy()).isEqualTo(stack.getReleaseReferencesStrategy())
                    .isNotEqualTo(ReleaseReferencesStrategy.Aggressive);
        } finally {
            stack.stop();
        }
    }

    private static SIPRequest register(String branch) throws Exception {
        return (SIPRequest) SipFactory.getInstance().createMessageFactory().createRequest(
                "REGISTER sip:example.test SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:5070" + branch + "\r\n"
                        + "From: <sip:ua@example.test>;tag=1\r\nTo: <sip:ua@example.test>\r\n"
                        + "Call-ID: linger-release@example.test\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\n"
                        + "Content-Length: 0\r\n\r\n");
    }
}
