package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import io.pinhole.sip.hep.WireBytes;

import javax.sip.address.Hop;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The RI's UDP channel, telling {@link WireBytes} which bytes it sends for which message: the RI
 * encodes a message, writes the bytes and only then reports the message to its server logger
 * (the capture), which had to encode it once more. Each way the RI sends a message on a UDP
 * channel ({@link #sendMessage(SIPMessage)}, {@link #sendMessage(SIPMessage, InetAddress, int)},
 * {@link #sendMessage(SIPMessage, Hop)}) ends in one of the two byte writers, on the same thread,
 * before the report; the message is marked around the RI's own code, the bytes taken as written.
 * What it sends and how is the RI's, unchanged.
 *
 * <p>Created by {@link RightSizedUdpMessageProcessor}, for its worker threads (which send the
 * responses of the server transactions they created) and for every channel the stack asks it
 * for (client transactions, stateless sends). In the RI's package for its constructors.
 */
public class WireUdpMessageChannel extends UDPMessageChannel {

    /** A worker: takes datagrams from the processor's queue on its own thread. */
    WireUdpMessageChannel(SIPTransactionStack stack, UDPMessageProcessor processor, String threadName) {
        super(stack, processor, threadName);
    }

    /** A channel to send to {@code address}:{@code port}. */
    WireUdpMessageChannel(InetAddress address, int port, SIPTransactionStack stack, UDPMessageProcessor processor) {
        super(address, port, stack, processor);
    }

    @Override
    public void sendMessage(SIPMessage message) throws IOException {
        WireBytes.sending(message);
        try {
            super.sendMessage(message);
        } finally {
            WireBytes.sent(message);
        }
    }

    @Override
    public void sendMessage(SIPMessage message, InetAddress address, int port) throws IOException {
        WireBytes.sending(message);
        try {
            super.sendMessage(message, address, port);
        } finally {
            WireBytes.sent(message);
        }
    }

    @Override
    public void sendMessage(SIPMessage message, Hop hop) throws IOException {
        WireBytes.sending(message);
        try {
            super.sendMessage(message, hop);
        } finally {
            WireBytes.sent(message);
        }
    }

    @Override
    protected void sendMessage(byte[] bytes, InetAddress address, int port, boolean retry) throws IOException {
        WireBytes.wrote(bytes);
        super.sendMessage(bytes, address, port, retry);
    }

    @Override
    protected void sendMessage(byte[] bytes, InetAddress address, int port, String transport, boolean retry)
            throws IOException {
        WireBytes.wrote(bytes);
        super.sendMessage(bytes, address, port, transport, retry);
    }

    /**
     * Nothing: the RI reports a received response a second time, with its transaction's status, as
     * it hands it to the transaction, building both addresses as strings first; Pinhole's server
     * loggers ignore that report (the capture took the response when it arrived), so nothing is
     * built. Only called while message traces are on (capture), once per received response.
     */
    @Override
    public void logResponse(SIPResponse response, long receptionTime, String status) {
    }
}
