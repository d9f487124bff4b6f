package io.pinhole.proxy.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.stack.RightSizedUdpMessageProcessor;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import io.pinhole.proxy.overload.QueueWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ListeningPoint;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How long received UDP datagrams wait for a JAIN-SIP worker thread. A long wait is the proxy
 * falling behind: past T1 (500 ms) callers retransmit, which lengthens it further until the
 * stack collapses. Time rather than a count, so one limit means the same at 50 and at 5000
 * messages per second: the oldest waiting datagram's age, or the wait the queue's length means
 * at the rate the workers take datagrams ({@link QueueWait}), whichever is longer; the second
 * also counts what waited in the kernel before the stack's receiving thread read it.
 */
public final class ReceiveBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiveBacklog.class);

    private record Watched(RightSizedUdpMessageProcessor processor, QueueWait expected) {
    }

    private final List<Watched> processors = new CopyOnWriteArrayList<>();

    void watch(ListeningPoint point) {
        if (!(point instanceof ListeningPointImpl impl) || !(impl.getMessageProcessor() instanceof UDPMessageProcessor udp)) {
            return; // TCP and TLS connections each have their own reader thread: nothing queues there
        }
        if (udp instanceof RightSizedUdpMessageProcessor ours) {
            processors.add(new Watched(ours, new QueueWait()));
        } else {
            LOG.warn("the UDP receiver of {}:{} is JAIN-SIP's own ({}): new calls are not refused by queue delay",
                    point.getIPAddress(), point.getPort(), udp.getClass().getName());
        }
    }

    /**
     * Milliseconds received datagrams wait, over all UDP listening points: the oldest one's age or
     * the expected wait of one queued now; 0 when none waits.
     */
    public long delayMillis() {
        long delay = 0;
        long now = System.nanoTime();
        for (Watched watched : processors) {
            RightSizedUdpMessageProcessor processor = watched.processor();
            long expected = watched.expected().millis(now, processor.queued(), processor.queueLength());
            delay = Math.max(delay, Math.max(processor.queueDelayMillis(), expected));
        }
        return delay;
    }
}
