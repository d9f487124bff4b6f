package io.pinhole.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransaction;

import javax.sip.PeerUnavailableException;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The RI's stack, whose server transactions are {@link ReleasableServerTransaction}s. The table
 * size limit is the RI's, unchanged: past the low-water mark a new transaction is refused with a
 * probability that grows to 1 at the high-water mark.
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
}
