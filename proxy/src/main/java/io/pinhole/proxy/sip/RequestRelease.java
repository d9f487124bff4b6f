package io.pinhole.proxy.sip;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.TransactionExt;

import javax.sip.Transaction;
import javax.sip.message.Request;

/**
 * Lets a non-INVITE transaction drop its request at its final response without keeping a copy
 * (the RI's {@code Aggressive} release strategy instead of the stack's {@code Normal}). Under
 * {@code Normal} the RI encodes the finished request back to bytes and parses those bytes again
 * before it drops the transaction: a server transaction at Timer J, a client transaction at
 * Timer K, each a whole second parse per request on the stack's timer thread, for a request no
 * one reads any more. Afterwards {@code getRequest()} returns null instead of the parsed copy, so
 * only transactions whose request the proxy does not read after their final response go through
 * here: the proxy keeps the requests it works with itself (a handler's {@link IncomingRequest},
 * a forwarded request's record). The RI hands a client transaction's final response to the
 * listener before it lets go, and answers a retransmitted request from the final response's
 * bytes under every strategy. INVITE transactions keep the stack's strategy: the proxy reads
 * their requests after the answer (a call's SDP, a branch's Request-URI).
 */
public final class RequestRelease {

    private RequestRelease() {
    }

    /** The same transaction, set to let go of its request at its final response unless it is an INVITE's. */
    public static <T extends Transaction> T atFinalResponse(T transaction) {
        if (transaction instanceof TransactionExt ext && !Request.INVITE.equals(transaction.getRequest().getMethod())) {
            ext.setReleaseReferencesStrategy(ReleaseReferencesStrategy.Aggressive);
        }
        return transaction;
    }
}
