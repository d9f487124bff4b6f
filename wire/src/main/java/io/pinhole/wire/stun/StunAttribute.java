package io.pinhole.wire.stun;

import java.util.Arrays;

/**
 * One attribute: its type and its value without the padding (RFC 5389 section 15). The value is
 * copied in and out, so the record stays immutable.
 */
public record StunAttribute(int type, byte[] value) {

    /** RFC 5389 section 15: the length field is 16 bits. */
    public static final int MAX_VALUE_LENGTH = 0xFFFF;

    public StunAttribute {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("attribute type must fit 16 bits, was " + type);
        }
        if (value.length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("attribute 0x" + Integer.toHexString(type) + " value of "
                    + value.length + " bytes does not fit the 16-bit length field");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    /** The value's bytes without a copy, for the codec. */
    byte[] valueNoCopy() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunAttribute a && a.type == type && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format("0x%04x[", type));
        for (byte b : value) {
            s.append(String.format("%02x", b & 0xFF));
        }
        return s.append(']').toString();
    }
}
