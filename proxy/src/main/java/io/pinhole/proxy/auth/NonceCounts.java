package io.pinhole.proxy.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The highest nonce-count seen per nonce, so a captured request cannot be replayed
 * (RFC 2617 §3.2.2).
 *
 * <p>Compact and bounded: at 2,000 REGISTERs a second every one brings a nonce of its own, and a
 * map of nonce strings to records (some 150 bytes an entry, kept twice the nonce lifetime) held
 * about 180 MB. Here a nonce is a 64-bit hash in an open-addressing table beside its count (16
 * bytes a slot, half full at most), and the tables are generations by the nonce's issue time,
 * which {@link NonceService} wrote into it: a nonce issued more than {@code keep} ago is stale for
 * {@link NonceService#check} (same clock), so its count can go, and a generation goes whole,
 * without a scan. Two nonces with the same hash share a count: the later one may be refused once
 * (its client is challenged again), never a replay accepted.
 *
 * <p>Past {@code maxEntries} the oldest generation goes early and every nonce issued before its
 * end that this no longer knows is refused (challenged again for a fresh one): replay protection
 * stays, the memory stays bounded.
 *
 * <p>Threads: one lock, a few table probes under it per authenticated request.
 */
public final class NonceCounts {

    /** Generations per {@code keep}: a count is kept at most {@code keep × (1 + 1/GENERATIONS)}. */
    static final int GENERATIONS = 4;
    static final int DEFAULT_MAX_ENTRIES = 1_000_000;

    private final Clock clock;
    private final long keep;
    private final long period;
    private final int maxEntries;
    /** By generation (issue time / period); guarded by this. */
    private final TreeMap<Long, CountTable> generations = new TreeMap<>();
    /** Nonces issued before this and not known are refused (their generation was dropped early). */
    private long floor = Long.MIN_VALUE;
    private int entries;

    /** @param keep how long a nonce is accepted after it was issued (the nonce lifetime, or more) */
    public NonceCounts(Clock clock, Duration keep) {
        this(clock, keep, DEFAULT_MAX_ENTRIES);
    }

    NonceCounts(Clock clock, Duration keep, int maxEntries) {
        this.clock = clock;
        this.keep = keep.toMillis();
        this.period = Math.max(1, this.keep / GENERATIONS);
        this.maxEntries = maxEntries;
    }

    /** True when {@code count} is higher than any count used before with this nonce. */
    public synchronized boolean accept(String nonce, long count) {
        long now = clock.millis();
        dropStale(now);
        long issued = NonceService.issuedAt(nonce);
        if (issued == Long.MIN_VALUE) {
            issued = now; // not one of ours (tests): counted from its first use
        }
        long key = hash(nonce);
        long generation = Math.floorDiv(issued, period);
        CountTable table = generations.get(generation);
        if (table != null) {
            int slot = table.find(key);
            if (slot >= 0) {
                return table.raise(slot, count);
            }
        }
        if (issued < floor) {
            return false; // its count may have been dropped: a replay cannot be told from a first use
        }
        if (entries >= maxEntries) {
            dropOldest();
            if (issued < floor) {
                return false;
            }
            table = generations.get(generation);
        }
        if (table == null) {
            table = new CountTable();
            generations.put(generation, table);
        }
        table.insert(key, count);
        entries++;
        return true;
    }

    public synchronized void purgeExpired() {
        dropStale(clock.millis());
    }

    synchronized int size() {
        return entries;
    }

    /** Generations whose every nonce was issued more than {@code keep} ago. */
    private void dropStale(long now) {
        Iterator<Map.Entry<Long, CountTable>> oldest = generations.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<Long, CountTable> e = oldest.next();
            if (now - ((e.getKey() + 1) * period - 1) <= keep) {
                return;
            }
            entries -= e.getValue().size;
            oldest.remove();
        }
    }

    private void dropOldest() {
        Map.Entry<Long, CountTable> oldest = generations.pollFirstEntry();
        if (oldest != null) {
            entries -= oldest.getValue().size;
            floor = Math.max(floor, (oldest.getKey() + 1) * period);
        }
    }

    /** FNV-1a over the characters, then a final mix. */
    static long hash(String nonce) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < nonce.length(); i++) {
            h = (h ^ nonce.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** Keys (never 0: 0 is an empty slot) and their highest counts; linear probing, grows at half full. */
    private static final class CountTable {
        long[] keys = new long[64];
        long[] counts = new long[64];
        int size;

        int find(long key) {
            int mask = keys.length - 1;
            for (int i = (int) key & mask; keys[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return i;
                }
            }
            return -1;
        }

        boolean raise(int slot, long count) {
            if (count <= counts[slot]) {
                return false;
            }
            counts[slot] = count;
            return true;
        }

        void insert(long key, long count) {
            if (2 * (size + 1) > keys.length) {
                long[] oldKeys = keys;
                long[] oldCounts = counts;
                keys = new long[oldKeys.length * 2];
                counts = new long[oldKeys.length * 2];
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldKeys[i] != 0) {
                        put(oldKeys[i], oldCounts[i]);
                    }
                }
            }
            put(key, count);
            size++;
        }

        private void put(long key, long count) {
            int mask = keys.length - 1;
            int i = (int) key & mask;
            while (keys[i] != 0) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            counts[i] = count;
        }
    }
}
