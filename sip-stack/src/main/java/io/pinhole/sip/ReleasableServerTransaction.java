package io.pinhole.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransactionImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;

/**
 * The RI's server transaction, except that one begun by a request with an RFC 3261 branch is
 * never compared field by field with a request without one, and so may let go of its request at
 * its final response.
 *
 * <p>The RI finds the transaction of a request without an RFC 3261 branch (an RFC 2543 phone's)
 * by asking every server transaction it holds whether the request is part of it, and each one
 * reads its own request for the comparison: a transaction that has let go of it (the RI's
 * {@code Aggressive} release strategy) threw a NullPointerException there, and the RI dropped
 * the request unanswered; one that keeps it as bytes (the {@code Normal} strategy) parsed them
 * again for the comparison. Neither is needed when this transaction's request had an RFC 3261
 * branch: the comparison ends with the two top Vias, parameters included, being equal (RFC 3261
 * §17.2.3), and a Via with an RFC 3261 branch never equals one without. So the answer is "no"
 * without reading anything; every other comparison is the RI's own.
 */
public final class ReleasableServerTransaction extends SIPServerTransactionImpl {

    private volatile boolean rfc3261;

    ReleasableServerTransaction(SIPTransactionStack stack, MessageChannel channel) {
        super(stack, channel);
    }

    @Override
    public void setOriginalRequest(SIPRequest request) {
        super.setOriginalRequest(request);
        rfc3261 = Rfc3261Branch.in(request.getTopmostVia());
    }

    /**
     * True when this transaction's request came with an RFC 3261 branch: only such a transaction
     * may drop its request after its final response; one of an RFC 2543 request must keep it, for
     * its retransmissions (and a CANCEL or an ACK) are matched by reading it.
     */
    public boolean mayReleaseRequest() {
        return rfc3261;
    }

    /**
     * Only while the request is not at hand: otherwise the RI's comparison reads it as it is (and
     * this costs a field read on every request and response, which the RI checks here too).
     */
    @Override
    public boolean isMessagePartOfTransaction(SIPMessage message) {
        if (rfc3261 && getOriginalRequest() == null && !Rfc3261Branch.in(message.getTopmostVia())) {
            return false; // the RI would compare the top Vias last, and they differ in the branch
        }
        return super.isMessagePartOfTransaction(message);
    }
}
