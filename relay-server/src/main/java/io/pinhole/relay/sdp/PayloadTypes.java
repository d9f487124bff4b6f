package io.pinhole.relay.sdp;

/**
 * A set of RTP payload types (0-127), as the format list of an {@code m=} line names them: 128
 * bits in two longs, so it is a plain value that any thread can read whole.
 *
 * @param low  payload types 0-63, bit n for type n
 * @param high payload types 64-127, bit n for type 64 + n
 */
public record PayloadTypes(long low, long high) {

    public static final PayloadTypes NONE = new PayloadTypes(0, 0);

    public static PayloadTypes of(int... types) {
        PayloadTypes set = NONE;
        for (int t : types) {
            set = set.with(t);
        }
        return set;
    }

    /** This set and {@code type}; a number outside 0-127 is not a payload type and changes nothing. */
    public PayloadTypes with(int type) {
        if (type < 0 || type > 127) {
            return this;
        }
        return type < 64 ? new PayloadTypes(low | 1L << type, high) : new PayloadTypes(low, high | 1L << (type - 64));
    }

    public boolean contains(int type) {
        if (type < 0 || type > 127) {
            return false;
        }
        return type < 64 ? (low & 1L << type) != 0 : (high & 1L << (type - 64)) != 0;
    }

    public PayloadTypes union(PayloadTypes other) {
        return new PayloadTypes(low | other.low, high | other.high);
    }
}
