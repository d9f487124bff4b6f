package io.pinhole.proxy.flood;

/**
 * The start times of an account's recent calls, oldest first: a growable ring of longs. Counting
 * those after a moment drops the older ones from the head, so each time is added once and
 * dropped once (O(1) amortised), where a scan of every slot cost the per-minute cap per call.
 * Grows by doubling up to {@code capacity} (the cap: the caller never adds past it), so an
 * account that calls rarely holds a few slots, not the cap's worth.
 *
 * <p>Times are expected in order; one added earlier than the tail (a clock stepped back) stays
 * until the ones before it have left, counted meanwhile: the cap errs towards refusing.
 * Not thread-safe: its {@code Tally}'s monitor guards it.
 */
final class StartTimes {

    private static final int INITIAL = 8;

    private final int capacity;
    private long[] times;
    private int head;
    private int size;

    StartTimes(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.times = new long[Math.min(INITIAL, capacity)];
    }

    /** Records a start; when already holding {@code capacity} times, the oldest is dropped. */
    void add(long at) {
        if (size == times.length) {
            if (times.length < capacity) {
                grow();
            } else {
                head = (head + 1) % times.length;
                size--;
            }
        }
        times[(head + size) % times.length] = at;
        size++;
    }

    /** How many starts are later than {@code since}; forgets the others. */
    int countAfter(long since) {
        while (size > 0 && times[head] <= since) {
            head = (head + 1) % times.length;
            size--;
        }
        return size;
    }

    /** Slots held now (tests). */
    int slots() {
        return times.length;
    }

    private void grow() {
        long[] bigger = new long[(int) Math.min(capacity, 2L * times.length)];
        for (int i = 0; i < size; i++) {
            bigger[i] = times[(head + i) % times.length];
        }
        times = bigger;
        head = 0;
    }
}
