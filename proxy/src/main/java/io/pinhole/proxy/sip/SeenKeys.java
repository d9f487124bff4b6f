package io.pinhole.proxy.sip;

/**
 * A set of 64-bit keys that forgets each one {@code window} milliseconds after it was added, and
 * the oldest first beyond {@code maxEntries}: an open-addressing table of longs (linear probing,
 * deletion by backward shift, no tombstones) beside a queue of the keys in the order they came.
 * What the retransmission counter keeps per message: 8 bytes in the table and 16 in the queue,
 * where a map of key strings held some 250 bytes per message for 32 s (tens of MB at 500 calls/s).
 * Both arrays grow by doubling as needed, so an idle proxy holds a few KB.
 *
 * <p>Not thread-safe: its owner locks around it.
 */
final class SeenKeys {

    private static final int INITIAL_QUEUE = 1 << 10;

    private final long window;
    private final int maxEntries;
    /** 0 is an empty slot: a key 0 is stored as 1 (for hashes, one more collision). Length a power of two, at least twice the entries. */
    private long[] table = new long[INITIAL_QUEUE * 2];
    private long[] queueKeys = new long[INITIAL_QUEUE];
    private long[] queueTimes = new long[INITIAL_QUEUE];
    private int head;
    private int size;

    SeenKeys(long windowMillis, int maxEntries) {
        this.window = windowMillis;
        this.maxEntries = maxEntries;
    }

    /** Adds {@code key} at {@code now}: false if it was already there (and then keeps its first time). */
    boolean add(long key, long now) {
        long k = key == 0 ? 1 : key;
        expire(now);
        int mask = table.length - 1;
        int i = home(k, mask);
        while (table[i] != 0) {
            if (table[i] == k) {
                return false;
            }
            i = (i + 1) & mask;
        }
        if (size == queueKeys.length) {
            growQueue();
            if (table.length < 2 * queueKeys.length) {
                rehash(2 * queueKeys.length);
            }
            return add(k, now);
        }
        table[i] = k;
        int tail = (head + size) % queueKeys.length;
        queueKeys[tail] = k;
        queueTimes[tail] = now;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    private void expire(long now) {
        while (size > 0 && (now - queueTimes[head] >= window || size >= maxEntries)) {
            remove(queueKeys[head]);
            head = (head + 1) % queueKeys.length;
            size--;
        }
    }

    private static int home(long k, int mask) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void remove(long k) {
        int mask = table.length - 1;
        int i = home(k, mask);
        while (table[i] != k) {
            if (table[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (table[j] == 0) {
                break;
            }
            int h = home(table[j], mask);
            // table[j] may fill the hole at i unless its home lies cyclically in (i, j]
            boolean stays = i <= j ? (h > i && h <= j) : (h > i || h <= j);
            if (!stays) {
                table[i] = table[j];
                i = j;
            }
        }
        table[i] = 0;
    }

    private void growQueue() {
        int length = queueKeys.length * 2;
        long[] keys = new long[length];
        long[] times = new long[length];
        for (int n = 0; n < size; n++) {
            int from = (head + n) % queueKeys.length;
            keys[n] = queueKeys[from];
            times[n] = queueTimes[from];
        }
        queueKeys = keys;
        queueTimes = times;
        head = 0;
    }

    private void rehash(int length) {
        long[] old = table;
        table = new long[length];
        int mask = length - 1;
        for (long k : old) {
            if (k != 0) {
                int i = home(k, mask);
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = k;
            }
        }
    }
}
