package io.pinhole.proxy.sip;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.TransactionExt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sip.ClientTransaction;
import javax.sip.SipFactory;
import javax.sip.message.Request;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RequestReleaseTest {

    @ParameterizedTest
    @ValueSource(strings = {"BYE", "PRACK", "INFO", "UPDATE", "OPTIONS"})
    void aNonInviteClientTransactionKeepsNoCopyOfItsRequest(String method) throws Exception {
        Map<String, Object> set = new HashMap<>();
        ClientTransaction transaction = transaction(method, set);

        assertThat(RequestRelease.atFinalResponse(transaction)).isSameAs(transaction);
        assertThat(set).containsEntry("setReleaseReferencesStrategy", ReleaseReferencesStrategy.Aggressive);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVITE"})
    void anInviteTransactionKeepsTheStacksStrategy(String method) throws Exception {
        Map<String, Object> set = new HashMap<>();

        RequestRelease.atFinalResponse(transaction(method, set));

        assertThat(set).isEmpty();
    }

    /** A client transaction of {@code method}; what is set on it lands in {@code set}. */
    private static ClientTransaction transaction(String method, Map<String, Object> set) throws Exception {
        Request request = SipFactory.getInstance().createMessageFactory().createRequest(
                method + " sip:uas@example.test SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-release\r\n"
                        + "From: <sip:ua@example.test>;tag=1\r\nTo: <sip:uas@example.test>;tag=2\r\n"
                        + "Call-ID: release@example.test\r\nCSeq: 2 " + method + "\r\nMax-Forwards: 70\r\n"
                        + "Content-Length: 0\r\n\r\n");
        return (ClientTransaction) Proxy.newProxyInstance(RequestReleaseTest.class.getClassLoader(),
                new Class<?>[]{ClientTransaction.class, TransactionExt.class}, (proxy, m, args) -> {
                    if (m.getName().equals("getRequest")) {
                        return request;
                    }
                    if (m.getName().startsWith("set")) {
                        set.put(m.getName(), args[0]);
                    }
                    return null;
                });
    }
}
