package io.pinhole.proxy.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ListeningPoint;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How many received UDP datagrams wait for a JAIN-SIP worker thread. A deep queue is the proxy
 * falling behind: every message in it is older than it should be, and past T1 (500 ms) callers
 * retransmit, which deepens it further until the stack collapses. The RI keeps the queue in a
 * protected field and offers no accessor, so it is read by reflection once per listening point.
 */
public final class ReceiveBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiveBacklog.class);

    private final List<Collection<?>> queues = new CopyOnWriteArrayList<>();

    void watch(ListeningPoint point) {
        if (!(point instanceof ListeningPointImpl impl) || !(impl.getMessageProcessor() instanceof UDPMessageProcessor udp)) {
            return; // TCP and TLS connections each have their own reader thread: nothing queues there
        }
        try {
            Field field = UDPMessageProcessor.class.getDeclaredField("messageQueue");
            field.setAccessible(true);
            queues.add((Collection<?>) field.get(udp));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot read the UDP receive queue of {}:{} ({}): new calls are not refused by queue depth",
                    point.getIPAddress(), point.getPort(), e.toString());
        }
    }

    /** Datagrams received and not yet taken by a worker, over all UDP listening points. */
    public int depth() {
        int depth = 0;
        for (Collection<?> queue : queues) {
            depth += queue.size();
        }
        return depth;
    }
}
