package io.pinhole.sip;

import gov.nist.javax.sip.SIPConstants;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.stack.ServerResponseInterface;

import javax.sip.PeerUnavailableException;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The RI's stack, whose server transactions are {@link ReleasableServerTransaction}s. The table
 * size limit is the RI's, unchanged: past the low-water mark a new transaction is refused with a
 * probability that grows to 1 at the high-water mark.
 *
 * <p>A response that matches no client transaction by its RFC 3261 branch goes straight to the
 * application: the RI would first compare it with every client transaction of the table (two
 * {@code toLowerCase} each), although such a response can only match by that branch, which is the
 * table's key (its own comment says so). With tens of thousands of transactions in their RFC 3261
 * timers at 1,000 calls/s, each late 2xx retransmission or stray response scanned them all: about
 * 5 % of the proxy's CPU in a call at 800 calls/s on a loaded box (JFR), more the more it is
 * loaded, since late ACKs bring more 2xx retransmissions.
 */
public class PinholeSipStack extends SipStackImpl {

    public PinholeSipStack(Properties properties) throws PeerUnavailableException {
        super(properties);
    }

    @Override
    public SIPServerTransaction createServerTransaction(MessageChannel channel) {
        if (!unlimitedServerTransactionTableSize) {
            float fill = (float) (serverTransactionTable.size() - serverTransactionTableLowaterMark)
                    / (serverTransactionTableHighwaterMark - serverTransactionTableLowaterMark);
            if (ThreadLocalRandom.current().nextDouble() > 1 - fill) {
                return null;
            }
        }
        return new ReleasableServerTransaction(this, channel);
    }

    @Override
    public ServerResponseInterface newSIPServerResponse(SIPResponse response, MessageChannel channel) {
        if (sipMessageValves.isEmpty() && unmatchedRfc3261(response)) {
            // what the RI does once its scan found nothing, less the status line it builds for its
            // server logger's logResponse (which ours ignore)
            return sipMessageFactory.newSIPServerResponse(response, channel);
        }
        return super.newSIPServerResponse(response, channel);
    }

    /** A response whose key is an RFC 3261 branch (lower-cased by the RI) and no client transaction's. */
    private boolean unmatchedRfc3261(SIPResponse response) {
        String key = response.getTransactionId();
        return key.startsWith(SIPConstants.BRANCH_MAGIC_COOKIE_LOWER_CASE) && findTransaction(key, false) == null;
    }
}
