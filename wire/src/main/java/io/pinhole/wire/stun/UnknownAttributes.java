package io.pinhole.wire.stun;

import java.util.ArrayList;
import java.util.List;

/** The UNKNOWN-ATTRIBUTES value (RFC 5389 section 15.9): 16-bit attribute types. */
public final class UnknownAttributes {

    private UnknownAttributes() {
    }

    /**
     * @param rfc3489 repeat the last type when the count is odd, as RFC 3489 padded this
     *                attribute (its clients refuse lengths that are not a multiple of 4)
     */
    public static byte[] encode(List<Integer> types, boolean rfc3489) {
        int count = rfc3489 && types.size() % 2 == 1 ? types.size() + 1 : types.size();
        byte[] value = new byte[2 * count];
        for (int i = 0; i < count; i++) {
            int type = types.get(Math.min(i, types.size() - 1));
            value[2 * i] = (byte) (type >>> 8);
            value[2 * i + 1] = (byte) type;
        }
        return value;
    }

    public static List<Integer> decode(byte[] value) throws StunException {
        if (value.length % 2 != 0) {
            throw new StunException("UNKNOWN-ATTRIBUTES of " + value.length + " bytes, not a whole number of types");
        }
        List<Integer> types = new ArrayList<>(value.length / 2);
        for (int i = 0; i < value.length; i += 2) {
            types.add((value[i] & 0xFF) << 8 | (value[i + 1] & 0xFF));
        }
        return types;
    }
}
