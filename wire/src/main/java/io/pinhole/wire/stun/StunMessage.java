package io.pinhole.wire.stun;

import java.util.List;

/**
 * One STUN message (RFC 5389 section 6): the 14-bit type (method and class), the magic cookie
 * field, the transaction ID and the attributes in wire order.
 *
 * <p>The cookie is kept as received rather than assumed: an RFC 3489 client puts the first 32 bits
 * of its 128-bit transaction ID there, and RFC 5389 section 12.2 has the server echo them.
 *
 * @param type        the message type, 0x0000-0x3FFF (the first two bits of a message are 0)
 * @param cookie      {@link StunCodec#MAGIC_COOKIE}, or anything for an RFC 3489 message
 * @param attributes  in wire order, FINGERPRINT (when decoded) included
 */
public record StunMessage(int type, int cookie, TransactionId transactionId, List<StunAttribute> attributes) {

    /** The only method this package answers. */
    public static final int BINDING = 0x001;

    public StunMessage {
        if (type < 0 || type > 0x3FFF) {
            throw new IllegalArgumentException("a STUN message type has 14 bits, was 0x" + Integer.toHexString(type));
        }
        if (transactionId == null) {
            throw new IllegalArgumentException("transaction ID missing");
        }
        attributes = List.copyOf(attributes);
    }

    /** An RFC 5389 message (with the magic cookie) of the given method and class. */
    public static StunMessage of(int method, StunClass messageClass, TransactionId id, List<StunAttribute> attributes) {
        return new StunMessage(type(method, messageClass), StunCodec.MAGIC_COOKIE, id, attributes);
    }

    /**
     * The message type of a method and class: the 12 method bits M11-M0 with the class bits C1 and
     * C0 interleaved at positions 8 and 4 (RFC 5389 section 6, figure 3).
     */
    public static int type(int method, StunClass messageClass) {
        if (method < 0 || method > 0xFFF) {
            throw new IllegalArgumentException("a STUN method has 12 bits, was 0x" + Integer.toHexString(method));
        }
        int c = messageClass.bits();
        return (method & 0xF80) << 2 | (method & 0x070) << 1 | (method & 0x00F) | (c & 0b10) << 7 | (c & 0b01) << 4;
    }

    public int method() {
        return (type & 0x3E00) >> 2 | (type & 0x00E0) >> 1 | (type & 0x000F);
    }

    public StunClass messageClass() {
        return StunClass.ofBits((type & 0x0100) >> 7 | (type & 0x0010) >> 4);
    }

    /** An RFC 3489 message: no magic cookie, so no XOR-MAPPED-ADDRESS and no FINGERPRINT for it. */
    public boolean rfc3489() {
        return cookie != StunCodec.MAGIC_COOKIE;
    }

    /** The first attribute of that type, or null. */
    public StunAttribute attribute(int attributeType) {
        for (StunAttribute a : attributes) {
            if (a.type() == attributeType) {
                return a;
            }
        }
        return null;
    }

    /** The same message without its FINGERPRINT, e.g. to encode it again with a fresh one. */
    public StunMessage withoutFingerprint() {
        return new StunMessage(type, cookie, transactionId,
                attributes.stream().filter(a -> a.type() != StunAttributeType.FINGERPRINT).toList());
    }
}
