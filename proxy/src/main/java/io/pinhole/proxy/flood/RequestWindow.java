package io.pinhole.proxy.flood;

import java.util.Arrays;

/**
 * One source's requests over a sliding window, kept as {@link #SLOTS} counts of a tenth of the
 * window each (pike's sampling unit, made to slide): the sum is the requests of the current
 * slot and the nine before it, so the window is exact to a tenth. Fixed size, no allocation
 * after construction. Not thread-safe: its owner ({@link SourceTallies}) holds a lock.
 */
final class RequestWindow {

    static final int SLOTS = 10;

    private final int[] counts = new int[SLOTS];
    private long newest;
    private int total;

    /** @param slot the slot of the first request (time divided by the slot length) */
    RequestWindow(long slot) {
        this.newest = slot;
    }

    /** Counts one request in {@code slot}; returns the requests of the window that ends with it, this one included. */
    int add(long slot) {
        advance(slot);
        counts[index(newest)]++;
        return ++total;
    }

    /** The requests of the window that ends with {@code slot}. */
    int count(long slot) {
        advance(slot);
        return total;
    }

    /** No request in the whole window that ends with {@code slot}: the tally can be forgotten. */
    boolean idle(long slot) {
        return count(slot) == 0;
    }

    /**
     * Moves the window to end at {@code slot}, emptying the slots it passes. A slot before the
     * newest (the clock stepped back) counts in the newest, so a clock change cannot reset a tally.
     */
    private void advance(long slot) {
        if (slot <= newest) {
            return;
        }
        if (slot - newest >= SLOTS) {
            Arrays.fill(counts, 0);
            total = 0;
        } else {
            for (long s = newest + 1; s <= slot; s++) {
                total -= counts[index(s)];
                counts[index(s)] = 0;
            }
        }
        newest = slot;
    }

    private static int index(long slot) {
        return (int) Math.floorMod(slot, (long) SLOTS);
    }
}
