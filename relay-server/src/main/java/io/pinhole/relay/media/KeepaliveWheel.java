package io.pinhole.relay.media;

import java.util.ArrayDeque;

/**
 * When each latched endpoint of one event loop is looked at next for a keepalive: a hashed timer
 * wheel, one per media event loop, touched only by that loop.
 *
 * <p>Sized for 10,000 calls (20,000 latched sides): the wheel turns 16 times per keepalive
 * interval and each turn visits only the endpoints whose deadline has come, about N/16 of them,
 * never all. An endpoint is visited about once per interval whatever its traffic: media does not
 * move it in the wheel (the hot path only writes a timestamp per read batch), the visit reads
 * that timestamp and puts the endpoint back one interval after it. An endpoint enters the wheel
 * at its first latch ({@link #watch}) and leaves it when a visit finds its sockets closed, so a
 * side that never sent a packet is never in it.
 *
 * <p>Precision: an endpoint is visited in the first tick at or after its deadline, at most one
 * tick (interval/16) late, plus the loop's own delay. A loop stalled longer than the whole wheel
 * drains every slot once on its next turn, so nothing is stranded.
 *
 * <p>No allocation after warm-up: each slot is an {@link ArrayDeque} that grows to its largest
 * population and stays there.
 */
final class KeepaliveWheel {

    /** Decides what one endpoint gets on a visit and when it is visited next. */
    interface Visitor {
        /** Returned instead of a deadline: the endpoint leaves the wheel. */
        long DROP = Long.MIN_VALUE;

        /** @return the next deadline (nanos), or {@link #DROP} */
        long visit(Endpoint endpoint, long nowNanos);
    }

    static final int TICKS_PER_INTERVAL = 16;
    /** More than one interval of ticks, so a deadline at most one interval ahead never wraps. */
    private static final int SLOTS = 32;

    private final long intervalNanos;
    private final long tickNanos;
    private final long originNanos;
    private final Visitor visitor;
    private final ArrayDeque<Endpoint>[] slots;
    private long nextTick;
    private int size;
    private long visits;

    @SuppressWarnings("unchecked")
    KeepaliveWheel(long intervalNanos, long nowNanos, Visitor visitor) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("keepalive interval must be positive, was " + intervalNanos + " ns");
        }
        this.intervalNanos = intervalNanos;
        this.tickNanos = Math.max(1, intervalNanos / TICKS_PER_INTERVAL);
        this.originNanos = nowNanos;
        this.visitor = visitor;
        this.slots = new ArrayDeque[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new ArrayDeque<>();
        }
    }

    long tickNanos() {
        return tickNanos;
    }

    long intervalNanos() {
        return intervalNanos;
    }

    /** Puts an endpoint in the wheel once (later calls do nothing), first visited one interval from now. */
    void watch(Endpoint endpoint, long nowNanos) {
        if (endpoint.keepaliveWatched) {
            return;
        }
        endpoint.keepaliveWatched = true;
        size++;
        schedule(endpoint, nowNanos + intervalNanos);
    }

    /** Visits every endpoint whose deadline is at or before {@code nowNanos}. */
    void advance(long nowNanos) {
        long due = Math.floorDiv(nowNanos - originNanos, tickNanos);
        if (due - nextTick >= SLOTS) {
            nextTick = due - SLOTS + 1; // a stalled loop: these SLOTS ticks still drain every slot once
        }
        while (nextTick <= due) {
            ArrayDeque<Endpoint> slot = slots[(int) (nextTick & (SLOTS - 1))];
            nextTick++; // before the visits: what they reschedule lands in a later tick
            for (int n = slot.size(); n > 0; n--) {
                Endpoint e = slot.poll();
                visits++;
                long next = visitor.visit(e, nowNanos);
                if (next == Visitor.DROP) {
                    size--;
                } else {
                    schedule(e, next);
                }
            }
        }
    }

    private void schedule(Endpoint endpoint, long deadlineNanos) {
        long tick = -Math.floorDiv(originNanos - deadlineNanos, tickNanos); // ceiling (Math.ceilDiv is Java 18)
        tick = Math.max(tick, nextTick);
        tick = Math.min(tick, nextTick + SLOTS - 1); // only after a clock jump: visited early, which is harmless
        slots[(int) (tick & (SLOTS - 1))].add(endpoint);
    }

    /** Endpoints in the wheel. */
    int size() {
        return size;
    }

    /** Visits so far (for tests: the work per turn). */
    long visits() {
        return visits;
    }
}
