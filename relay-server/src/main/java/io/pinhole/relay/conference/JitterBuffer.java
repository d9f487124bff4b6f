package io.pinhole.relay.conference;

/**
 * One party's incoming frames, put in order by RTP sequence number and played out one per mixer
 * tick after {@code depth} ticks of priming. Frames are copied into preallocated slots (no
 * allocation per frame). A frame older than the one due (late or a duplicate) is dropped and
 * counted; a frame too far ahead makes the buffer skip forward (the sender's clock runs fast, or
 * it jumped). A missing frame plays as nothing, so a silent or lost party never holds the others
 * up; after {@code depth} empty ticks in a row the buffer re-primes on the next frame, so a
 * talk spurt after silence (sequence numbers continuing, DTX) starts cleanly.
 *
 * <p>Confined to the conference loop: the receive handler puts, the mixer tick takes.
 */
final class JitterBuffer {

    static final int FRAME_BYTES = 160;

    private final int depth;
    private final int slots;
    private final byte[][] frames;
    private final int[] seqs;
    private final boolean[] present;

    private boolean started;
    private int primeTicks;
    private int next;          // sequence number due at the next take
    private int emptyTicks;
    private long late;
    private long overruns;

    JitterBuffer(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("jitter depth must be at least 1, was " + depth);
        }
        this.depth = depth;
        // a power of two, so slot = seq & mask stays continuous across the 16-bit wrap
        this.slots = Integer.highestOneBit(2 * depth + 1) << 1;
        this.frames = new byte[slots][FRAME_BYTES];
        this.seqs = new int[slots];
        this.present = new boolean[slots];
    }

    /**
     * Stores one frame of {@link #FRAME_BYTES} bytes from {@code src[offset..]}.
     *
     * @return false when it was dropped as late or a duplicate
     */
    boolean put(int seq, byte[] src, int offset) {
        int s = slotFor(seq);
        if (s < 0) {
            return false;
        }
        System.arraycopy(src, offset, frames[s], 0, FRAME_BYTES);
        return true;
    }

    /** The same from a received datagram, copied straight into the slot. */
    boolean put(int seq, io.netty.buffer.ByteBuf src, int index) {
        int s = slotFor(seq);
        if (s < 0) {
            return false;
        }
        src.getBytes(index, frames[s], 0, FRAME_BYTES);
        return true;
    }

    /** The slot this frame goes into, marked present; -1 when it is late or a duplicate. */
    private int slotFor(int seq) {
        seq &= 0xFFFF;
        if (!started) {
            restart(seq);
        }
        int ahead = (short) (seq - next);
        if (ahead < 0) {
            late++;
            return -1;
        }
        if (ahead >= 4 * slots) {
            // a jump (the sender restarted its sequence): start over from this frame
            countPresentAsOverruns();
            restart(seq);
            ahead = 0;
        } else if (ahead >= slots) {
            // ahead by more than the buffer holds: keep the newest frames, the oldest ones go
            int newNext = (seq - slots + 1) & 0xFFFF;
            while (next != newNext) {
                int s = next & (slots - 1);
                if (present[s] && seqs[s] == next) {
                    present[s] = false;
                    overruns++;
                }
                next = (next + 1) & 0xFFFF;
            }
        }
        int s = seq & (slots - 1);
        if (present[s] && seqs[s] == seq) {
            late++; // a duplicate
            return -1;
        }
        seqs[s] = seq;
        present[s] = true;
        return s;
    }

    private void countPresentAsOverruns() {
        for (boolean p : present) {
            if (p) {
                overruns++;
            }
        }
    }

    private void restart(int seq) {
        started = true;
        next = seq;
        primeTicks = depth;
        emptyTicks = 0;
        java.util.Arrays.fill(present, false);
    }

    /**
     * The frame due at this tick, or null (priming, lost, or the party is silent). The returned
     * array is the buffer's own slot: read it before the next {@link #put}.
     */
    byte[] take() {
        if (!started) {
            return null;
        }
        if (primeTicks > 0) {
            primeTicks--;
            return null;
        }
        int s = next & (slots - 1);
        byte[] out = null;
        if (present[s] && seqs[s] == next) {
            present[s] = false;
            out = frames[s];
            emptyTicks = 0;
        } else if (++emptyTicks >= depth && isEmpty()) {
            started = false; // silence: the next frame primes again from its own sequence number
        }
        next = (next + 1) & 0xFFFF;
        return out;
    }

    private boolean isEmpty() {
        for (boolean p : present) {
            if (p) {
                return false;
            }
        }
        return true;
    }

    /** Frames dropped as late or duplicate. */
    long late() {
        return late;
    }

    /** Frames dropped because newer ones overran the buffer. */
    long overruns() {
        return overruns;
    }
}
