package io.pinhole.proxy.sip;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.TransactionExt;

import javax.sip.Transaction;
import javax.sip.message.Request;

/**
 * Lets a non-INVITE client transaction drop its request at its final response without keeping a
 * copy (the RI's {@code Aggressive} release strategy instead of the stack's {@code Normal}). Under
 * {@code Normal} the RI encodes the finished request back to bytes and parses those bytes again at
 * Timer K only to drop the transaction: a whole second parse per request on the stack's timer
 * thread, for a request no one reads any more. Afterwards {@code getRequest()} returns null, so
 * only transactions whose request the proxy does not read after their final response go through
 * here (a forwarded request's record keeps what the proxy needs). The RI hands the final response
 * to the listener before it lets go, and matches responses by our own branch. A server
 * transaction comes here only when its request had an RFC 3261 branch (see {@link NonInviteLinger}):
 * the RI matches a request without one by reading every lingering server transaction's request.
 * INVITE transactions keep the stack's strategy: the proxy reads their requests after the answer.
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
