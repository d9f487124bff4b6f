package io.pinhole.sip;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.RightSizedUdpMessageProcessor;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.StoppableTcpMessageProcessor;

import java.io.IOException;
import java.net.InetAddress;

/**
 * The RI's message processors, with UDP replaced by {@link RightSizedUdpMessageProcessor} and TCP
 * by {@link StoppableTcpMessageProcessor} (so a stack whose TCP port was taken can be stopped).
 */
public final class RightSizedMessageProcessors implements MessageProcessorFactory {

    private final MessageProcessorFactory others = new OIOMessageProcessorFactory();

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
                                                   String transport) throws IOException {
        if ("udp".equalsIgnoreCase(transport)) {
            return new RightSizedUdpMessageProcessor(address, stack, port);
        }
        if ("tcp".equalsIgnoreCase(transport)) {
            return new StoppableTcpMessageProcessor(address, stack, port);
        }
        return others.createMessageProcessor(stack, address, port, transport);
    }
}
