package io.pinhole.proxy.sip;

import gov.nist.javax.sip.TransactionExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.message.Request;
import java.lang.reflect.Proxy;
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
    void everyNonInviteServerTransactionLingersShortlyAndKeepsItsRequest(String method) throws Exception {
        Map<String, Object> calls = transactionCalls(method);

        // a released request breaks the RI's matching of RFC 2543 requests (see NonInviteLinger)
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
}
