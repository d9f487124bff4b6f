package io.pinhole.wire.stun;

/** The two class bits of a STUN message type (RFC 5389 section 6). */
public enum StunClass {
    REQUEST,
    INDICATION,
    SUCCESS_RESPONSE,
    ERROR_RESPONSE;

    /** The two bits C1 C0 as a number 0-3, in declaration order. */
    int bits() {
        return ordinal();
    }

    static StunClass ofBits(int bits) {
        return values()[bits & 0b11];
    }
}
