package io.pinhole.proxy.flood;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests per source address over a sliding window, in a table of bounded size: a spoofed-source
 * flood (every packet from another address) would otherwise grow it without end. The table is
 * split into stripes by address, each a least-recently-seen map with its own lock, so SIP threads
 * working on different sources seldom wait on each other; a full stripe forgets the source it saw
 * least recently (its count starts again if it comes back: the guard only gets more lenient).
 *
 * <p>A lookup of a known source allocates nothing; a new source costs one tally and one trusted
 * check. Whether a source is trusted is decided when it is first seen and kept with its tally.
 */
final class SourceTallies {

    /** Where a source stands after one more request. */
    enum Standing { TRUSTED, WITHIN, OVER }

    static final int STRIPES = 16;

    private final Stripe[] stripes;
    private final int maxRequests;
    private final long slotMillis;
    private final Predicate<InetAddress> trusted;
    private final LongAdder evictions = new LongAdder();

    /**
     * @param maxRequests requests one source may send within {@code window}; the next one is over
     * @param capacity    sources remembered at most (to within one per stripe)
     */
    SourceTallies(int maxRequests, Duration window, int capacity, Predicate<InetAddress> trusted) {
        this(maxRequests, window, capacity, trusted, STRIPES);
    }

    /** @param stripes a power of two; 1 makes the table one exact least-recently-seen map (tests) */
    SourceTallies(int maxRequests, Duration window, int capacity, Predicate<InetAddress> trusted, int stripes) {
        if (Integer.bitCount(stripes) != 1 || capacity < stripes) {
            throw new IllegalArgumentException("stripes must be a power of two no larger than the capacity");
        }
        if (window.toMillis() < RequestWindow.SLOTS) {
            throw new IllegalArgumentException("the window must be at least " + RequestWindow.SLOTS + " ms");
        }
        this.maxRequests = maxRequests;
        this.slotMillis = window.toMillis() / RequestWindow.SLOTS;
        this.trusted = trusted;
        this.stripes = new Stripe[stripes];
        int perStripe = (capacity + stripes - 1) / stripes;
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new Stripe(perStripe, evictions);
        }
    }

    /** Counts one request from {@code source} at {@code nowMillis}. */
    Standing hit(InetAddress source, long nowMillis) {
        long slot = nowMillis / slotMillis;
        Stripe stripe = stripeOf(source);
        synchronized (stripe) {
            Tally tally = stripe.get(source);
            if (tally == null) {
                tally = new Tally(trusted.test(source), slot);
                stripe.put(source, tally);
            }
            if (tally.trusted) {
                return Standing.TRUSTED;
            }
            return tally.window.add(slot) > maxRequests ? Standing.OVER : Standing.WITHIN;
        }
    }

    /** The requests counted for {@code source} in the window ending now (0 when unknown). */
    int count(InetAddress source, long nowMillis) {
        Stripe stripe = stripeOf(source);
        synchronized (stripe) {
            Tally tally = stripe.get(source);
            return tally == null || tally.trusted ? 0 : tally.window.count(nowMillis / slotMillis);
        }
    }

    /** Forgets a source (it was banned, or its ban was lifted: either way it starts from nothing). */
    void forget(InetAddress source) {
        Stripe stripe = stripeOf(source);
        synchronized (stripe) {
            stripe.remove(source);
        }
    }

    /** Forgets every source without a request in the last window. */
    void purgeIdle(long nowMillis) {
        long slot = nowMillis / slotMillis;
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                stripe.values().removeIf(tally -> tally.window.idle(slot));
            }
        }
    }

    int size() {
        int size = 0;
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                size += stripe.size();
            }
        }
        return size;
    }

    /** Sources forgotten because their stripe was full. */
    long evictions() {
        return evictions.sum();
    }

    private Stripe stripeOf(InetAddress source) {
        int h = source.hashCode();
        return stripes[(h ^ (h >>> 16)) & (stripes.length - 1)];
    }

    private static final class Tally {
        final boolean trusted;
        final RequestWindow window;

        Tally(boolean trusted, long slot) {
            this.trusted = trusted;
            this.window = new RequestWindow(slot);
        }
    }

    /** A least-recently-seen map of at most {@code capacity} sources. */
    private static final class Stripe extends LinkedHashMap<InetAddress, Tally> {
        private final int capacity;
        private final LongAdder evictions;

        Stripe(int capacity, LongAdder evictions) {
            super(16, 0.75f, true);
            this.capacity = capacity;
            this.evictions = evictions;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Tally> eldest) {
            if (size() > capacity) {
                evictions.increment();
                return true;
            }
            return false;
        }
    }
}
