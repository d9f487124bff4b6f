package gov.nist.javax.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import io.pinhole.sip.AnswerTap;
import io.pinhole.wire.stun.BindingAnswer;
import io.pinhole.wire.stun.BindingResponder;
import io.pinhole.wire.stun.StunDemux;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.Objects;

/**
 * The RI's UDP receiver with one change: the RI allocates a buffer of the maximum message size
 * for every datagram and queues it whole, so each ~1 KB SIP message cost 16-64 KiB of zeroed
 * heap (most of the proxy's allocation, and an OutOfMemoryError when the queue backs up). This
 * one receives into a single buffer and queues a copy of exactly the datagram's length.
 *
 * <p>Two kinds of datagram never reach the queue: STUN Binding requests (answered here) and,
 * once {@link #tapAnswers} was called, answers to the service's stateless requests (handed over
 * here, see {@link AnswerTap}).
 *
 * <p>Its channels, workers and senders alike, are {@link WireUdpMessageChannel}s (the capture takes
 * the bytes they send instead of encoding each message again).
 *
 * <p>It lives in the RI's package because the worker threads it starts ({@link UDPMessageChannel})
 * and the queue entries have package-level constructors; the queue, the workers and the stale-
 * message dropping are the RI's own, unchanged.
 */
public class RightSizedUdpMessageProcessor extends UDPMessageProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(RightSizedUdpMessageProcessor.class);
    /** The largest UDP payload, so nothing arrives truncated and a too-large datagram is recognised. */
    private static final int LARGEST_DATAGRAM = 65535;

    private static final BindingResponder STUN = new BindingResponder("Pinhole");
    private long oversizedDropped;
    private volatile long stunAnswered;
    private volatile AnswerTap answers = AnswerTap.NONE;
    /** Datagrams ever queued for the workers; written by the receiving thread only. */
    private volatile long queued;

    public RightSizedUdpMessageProcessor(InetAddress address, SIPTransactionStack stack, int port) throws IOException {
        super(address, stack, port);
        // Without it the RI sends every UDP message from a new ephemeral socket, not this one,
        // and answers to requests the proxy sends never come back to it.
        stack.udpFlag = true;
    }

    /**
     * Starts the worker threads here rather than on the receiving thread, as the RI does: its
     * {@code stop()} closes the workers it finds, and a stop that came before the receiving thread
     * had started them (a stack whose next listening point failed at once) found none, failed on
     * the missing list and left the workers started after it waiting for ever.
     */
    @Override
    public void start() throws IOException {
        if (sipStack.threadPoolSize > 0) {
            LinkedList<UDPMessageChannel> workers = new LinkedList<>();
            String name = ((SipStackImpl) sipStack).getStackName() + "-UDPMessageChannelThread-";
            for (int i = 0; i < sipStack.threadPoolSize; i++) {
                workers.add(new WireUdpMessageChannel(sipStack, this, name + i));
            }
            messageChannels = workers;
        }
        super.start();
    }

    /** A channel that tells the capture the bytes it sends ({@link WireUdpMessageChannel}). */
    @Override
    public MessageChannel createMessageChannel(gov.nist.core.HostPort target) throws java.net.UnknownHostException {
        return new WireUdpMessageChannel(target.getInetAddress(), target.getPort(), sipStack, this);
    }

    /** As {@link #createMessageChannel(gov.nist.core.HostPort)}. */
    @Override
    public MessageChannel createMessageChannel(InetAddress address, int port) {
        return new WireUdpMessageChannel(address, port, sipStack, this);
    }

    @Override
    public void run() {
        if (sipStack.threadPoolSize <= 0) {
            super.run(); // a thread per datagram: the RI's own loop (never configured by Pinhole)
            return;
        }
        byte[] buffer = new byte[LARGEST_DATAGRAM];
        DatagramPacket received = new DatagramPacket(buffer, buffer.length);
        int configured = sipStack.getMaxMessageSize(); // MAX_MESSAGE_SIZE, as the RI reads it
        int limit = configured > 0 && configured < LARGEST_DATAGRAM ? configured : LARGEST_DATAGRAM;
        while (isRunning) {
            try {
                received.setLength(buffer.length);
                sock.receive(received);
                int length = received.getLength();
                if (length > 0 && StunDemux.isStun(buffer[0] & 0xff)) {
                    answerStun(received, length);
                    continue;
                }
                if (length > limit) {
                    dropOversized(received, length, limit);
                    continue;
                }
                if (answers.take(buffer, length)) {
                    continue; // an answer to one of our stateless requests, handed over unparsed
                }
                DatagramPacket copy = new DatagramPacket(Arrays.copyOf(buffer, length), length,
                        received.getAddress(), received.getPort());
                messageQueue.offer(new DatagramQueuedMessageDispatch(copy, System.currentTimeMillis()));
                queued++;
            } catch (SocketTimeoutException e) {
                // no timeout is set; nothing to do if one ever fires
            } catch (SocketException e) {
                if (!isRunning) {
                    return; // stop() closed the socket
                }
                LOG.warn("UDP receive on {}:{} failed: {}", getIpAddress().getHostAddress(), getPort(), e.toString());
            } catch (IOException | RuntimeException e) {
                LOG.warn("UDP receive on {}:{} failed: {}", getIpAddress().getHostAddress(), getPort(), e.toString());
            }
        }
    }

    /**
     * How long the oldest received datagram not yet taken by a worker has waited, in
     * milliseconds; 0 when none waits. The measure of a proxy falling behind its input.
     */
    public long queueDelayMillis() {
        DatagramQueuedMessageDispatch oldest = messageQueue.peek();
        return oldest == null ? 0 : Math.max(0, System.currentTimeMillis() - oldest.getReceptionTime());
    }

    /** Datagrams queued for the workers since the start (with {@link #queueLength()}: the rate they are taken at). */
    public long queued() {
        return queued;
    }

    /** Datagrams waiting for a worker now. */
    public int queueLength() {
        return messageQueue.size();
    }

    /**
     * RFC 5626 §8 / RFC 7983: a phone using outbound over UDP keeps its flow open with STUN
     * Binding requests to our SIP port, told apart from SIP by the first byte (0-3; SIP starts
     * with a letter, a CRLF keepalive with 13). The answer, with the phone's public address in
     * XOR-MAPPED-ADDRESS, leaves from this socket on this thread: no parsing, no queue, no worker.
     * What is not a Binding request is dropped, as RFC 5389 §7.3 says.
     */
    private void answerStun(DatagramPacket packet, int length) {
        InetSocketAddress source = (InetSocketAddress) packet.getSocketAddress();
        BindingAnswer answer = STUN.answer(ByteBuffer.wrap(packet.getData(), 0, length), true, source,
                new InetSocketAddress(getIpAddress(), getPort()), null);
        if (answer instanceof BindingAnswer.Reply reply) {
            try {
                sock.send(new DatagramPacket(reply.datagram(), reply.datagram().length, source));
                stunAnswered++;
            } catch (IOException e) {
                // the phone retries; a failed send on UDP is not worth a line per packet
            }
        }
    }

    /**
     * From now on, answers to the service's stateless requests (NAT pings, probes) are handed to
     * {@code tap} on this thread, unparsed, instead of being queued for the stack: the RI would
     * compare each one with every client transaction it holds before finding it has none.
     */
    public void tapAnswers(AnswerTap tap) {
        answers = Objects.requireNonNull(tap, "tap");
    }

    /** STUN Binding requests answered on this socket (RFC 5626 keepalives). */
    public long stunAnswered() {
        return stunAnswered;
    }

    /** One line for the first and then every 1000th: a flood of them must not become a flood of log lines. */
    private void dropOversized(DatagramPacket packet, int length, int limit) {
        if (oversizedDropped++ % 1000 == 0) {
            LOG.warn("dropped a {}-byte datagram from {}:{}: larger than max-message-bytes {} ({} dropped so far)",
                    length, packet.getAddress().getHostAddress(), packet.getPort(), limit, oversizedDropped);
        }
    }
}
