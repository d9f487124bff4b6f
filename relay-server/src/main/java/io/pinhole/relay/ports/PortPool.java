package io.pinhole.relay.ports;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Even/odd port pairs (RTP on the even port, RTCP on the next odd one) handed out from a FIFO free
 * list: a released pair goes to the tail and is not handed out again before the quiet period has
 * passed, so stray packets of an ended call never reach the next call on the same port.
 *
 * <p>Thread-safe (synchronized): the control thread allocates, while media channels give their
 * ports back from their event loop once closed. Neither side is a hot path.
 */
public final class PortPool {

    private record Free(int rtpPort, long releasedAtNanos) {
    }

    private final ArrayDeque<Free> free = new ArrayDeque<>();
    private final long quietNanos;
    private final LongSupplier clock;
    private final int capacity;
    private int inUse;

    public PortPool(int portMin, int portMax, long quietNanos, LongSupplier clock) {
        if (portMax <= portMin) {
            throw new IllegalArgumentException("port range " + portMin + "-" + portMax + " holds no pair");
        }
        this.quietNanos = quietNanos;
        this.clock = clock;
        int first = (portMin % 2 == 0) ? portMin : portMin + 1;
        long never = clock.getAsLong() - quietNanos;
        for (int p = first; p + 1 <= portMax; p += 2) {
            free.addLast(new Free(p, never));
        }
        this.capacity = free.size();
    }

    /**
     * Takes {@code count} pairs, all or none.
     *
     * @return the RTP (even) ports, or an empty list when not enough pairs are free and quiet
     */
    public synchronized List<Integer> allocate(int count) {
        long now = clock.getAsLong();
        List<Integer> out = new ArrayList<>(count);
        while (out.size() < count) {
            Free head = free.peekFirst();
            if (head == null || now - head.releasedAtNanos() < quietNanos) {
                for (int i = out.size() - 1; i >= 0; i--) {
                    free.addFirst(new Free(out.get(i), now - quietNanos));
                }
                return List.of();
            }
            free.pollFirst();
            out.add(head.rtpPort());
        }
        inUse += count;
        return out;
    }

    /** Gives a pair back; it becomes available after the quiet period. */
    public synchronized void release(int rtpPort) {
        free.addLast(new Free(rtpPort, clock.getAsLong()));
        inUse--;
    }

    public synchronized int inUse() {
        return inUse;
    }

    public int capacity() {
        return capacity;
    }
}
