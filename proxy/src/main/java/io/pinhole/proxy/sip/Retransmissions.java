package io.pinhole.proxy.sip;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.sip.hep.MessageTap;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Counts SIP retransmissions both ways ({@code pinhole.sip.retransmissions{direction=in|out}}): a
 * message seen again with the same Call-ID, CSeq, top Via branch and start line (the method, or
 * the status of a response) within {@link #WINDOW_MILLIS} of its first sighting. Received ones
 * mean our answers are lost or late on the way to the phones; sent ones that theirs are, or that a
 * peer is gone. The RI retransmits and absorbs retransmissions inside its transaction layer
 * without telling the application, so they are counted where every message passes: the stack's
 * message tap.
 *
 * <p>Called on the stack's threads for every message, so a message is remembered as a 64-bit hash
 * of those fields and the time it was first seen, in two generations of open-addressing tables
 * of primitives allocated once: no key string, no map entry, and nothing for the collector to copy
 * for 32 s (a map of strings held some 200,000 objects at 2,000 registrations/s, every one
 * copied through the young generation before it died). A generation is replaced when it is a
 * window old or half full; the one before it is forgotten then, as its entries are out of the
 * window (or, when full, the oldest would have been dropped first anyway). Two messages with the
 * same hash but different fields, one in 2^64, would count one retransmission too many.
 */
public final class Retransmissions implements MessageTap {

    /** RFC 3261 64*T1: no transaction retransmits longer than this. */
    static final long WINDOW_MILLIS = 32_000;
    /** Slots per generation: at most half of them are used, so probes stay short. */
    static final int SLOTS = 1 << 18;
    private static final int MAX_PER_GENERATION = SLOTS / 2;

    private final Counter in;
    private final Counter out;
    private final LongSupplier clock;

    private long[] keys = new long[SLOTS];
    private long[] times = new long[SLOTS];
    private int count;
    private long since;
    private long[] previousKeys = new long[SLOTS];
    private long[] previousTimes = new long[SLOTS];

    public Retransmissions(MeterRegistry meters, LongSupplier clock) {
        this.in = counter(meters, "in");
        this.out = counter(meters, "out");
        this.clock = clock;
        this.since = clock.getAsLong();
    }

    private static Counter counter(MeterRegistry meters, String direction) {
        return Counter.builder("pinhole.sip.retransmissions").tag("direction", direction)
                .description("SIP messages seen again within 32 s: same Call-ID, CSeq, branch and start line")
                .register(meters);
    }

    @Override
    public void message(SIPMessage message, boolean sent, String peer, long timeMillis) {
        long key = key(message, sent);
        if (key == 0) {
            return;
        }
        if (seenBefore(key, clock.getAsLong())) {
            (sent ? out : in).increment();
        }
    }

    /** True when {@code key} was first seen less than a window before {@code now}; remembers it otherwise. */
    private synchronized boolean seenBefore(long key, long now) {
        if (now - since >= WINDOW_MILLIS || count >= MAX_PER_GENERATION) {
            rotate(now);
        }
        int slot = slot(keys, key);
        if (keys[slot] == key) {
            return now - times[slot] < WINDOW_MILLIS;
        }
        int previous = slot(previousKeys, key);
        if (previousKeys[previous] == key && now - previousTimes[previous] < WINDOW_MILLIS) {
            return true; // its first sighting's time stays in the previous generation
        }
        keys[slot] = key;
        times[slot] = now;
        count++;
        return false;
    }

    private void rotate(long now) {
        long[] oldKeys = previousKeys;
        long[] oldTimes = previousTimes;
        previousKeys = keys;
        previousTimes = times;
        Arrays.fill(oldKeys, 0);
        keys = oldKeys;
        times = oldTimes; // read only where keys holds the key, so no need to clear
        count = 0;
        since = now;
    }

    /** The slot holding {@code key}, or the empty one where it would go (linear probing). */
    private static int slot(long[] table, long key) {
        int i = (int) (key ^ (key >>> 32)) & (SLOTS - 1);
        while (table[i] != 0 && table[i] != key) {
            i = (i + 1) & (SLOTS - 1);
        }
        return i;
    }

    /** What makes two messages the same transmission, hashed to 64 bits; 0 for a message without the headers. */
    static long key(SIPMessage message, boolean sent) {
        CSeq cseq = (CSeq) message.getCSeq();
        Via via = message.getTopmostVia();
        if (message.getCallId() == null || cseq == null || via == null) {
            return 0;
        }
        long h = sent ? 0x9E3779B97F4A7C15L : 0xC2B2AE3D27D4EB4FL;
        h = mix(h, message instanceof SIPResponse response ? response.getStatusCode() : -1); // a request's line is its CSeq method
        h = mix(h, cseq.getSeqNumber());
        h = text(h, cseq.getMethod());
        h = text(h, via.getBranch());
        h = text(h, message.getCallId().getCallId());
        return h == 0 ? 1 : h;
    }

    private static long mix(long h, long value) {
        h = (h ^ value) * 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }

    /** FNV-1a over the characters, then the length, so that neighbouring fields cannot trade characters. */
    private static long text(long h, String s) {
        if (s == null) {
            return mix(h, -2);
        }
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
        }
        return mix(h, s.length());
    }

    /** Messages remembered and still within the window (tests). */
    synchronized int size() {
        long now = clock.getAsLong();
        int live = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (keys[i] != 0 && now - times[i] < WINDOW_MILLIS) {
                live++;
            }
            if (previousKeys[i] != 0 && now - previousTimes[i] < WINDOW_MILLIS) {
                live++;
            }
        }
        return live;
    }
}
