package io.pinhole.proxy.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.stack.RightSizedUdpMessageProcessor;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ListeningPoint;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How long received UDP datagrams wait for a JAIN-SIP worker thread. A long wait is the proxy
 * falling behind: past T1 (500 ms) callers retransmit, which lengthens it further until the
 * stack collapses. Time rather than a count, so one limit means the same at 50 and at 5000
 * messages per second.
 */
public final class ReceiveBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiveBacklog.class);

    private final List<RightSizedUdpMessageProcessor> processors = new CopyOnWriteArrayList<>();

    void watch(ListeningPoint point) {
        if (!(point instanceof ListeningPointImpl impl) || !(impl.getMessageProcessor() instanceof UDPMessageProcessor udp)) {
            return; // TCP and TLS connections each have their own reader thread: nothing queues there
        }
        if (udp instanceof RightSizedUdpMessageProcessor ours) {
            processors.add(ours);
        } else {
            LOG.warn("the UDP receiver of {}:{} is JAIN-SIP's own ({}): new calls are not refused by queue delay",
                    point.getIPAddress(), point.getPort(), udp.getClass().getName());
        }
    }

    /** Milliseconds the oldest waiting datagram has waited, over all UDP listening points; 0 when none waits. */
    public long delayMillis() {
        long delay = 0;
        for (RightSizedUdpMessageProcessor processor : processors) {
            delay = Math.max(delay, processor.queueDelayMillis());
        }
        return delay;
    }
}
