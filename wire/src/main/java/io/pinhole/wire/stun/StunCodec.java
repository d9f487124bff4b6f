package io.pinhole.wire.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * STUN messages to and from their wire form (RFC 5389 sections 6 and 15), one message per UDP
 * datagram.
 *
 * <p>Decoding is strict about framing, because on a port shared with RTP or SIP a lenient parser
 * would answer junk: the first two bits must be 0, the length field a multiple of 4 and equal to
 * what the datagram holds after the header, each attribute (with its padding) inside the message,
 * nothing after FINGERPRINT, and a FINGERPRINT, when present, must match. The magic cookie is
 * required unless the caller accepts RFC 3489 clients. Attribute values are not interpreted here
 * (that is the reader's job, see {@link StunAddress}); padding bytes may hold anything, as the RFC
 * says (RFC 5769's vectors pad with spaces).
 */
public final class StunCodec {

    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    /** RFC 5389 section 15.5: the CRC-32 is XOR'ed with this ("STUN"), so it never equals an application CRC. */
    static final int FINGERPRINT_XOR = 0x5354554e;

    private StunCodec() {
    }

    /** An RFC 5389 message (magic cookie required) from a whole datagram. */
    public static StunMessage decode(byte[] datagram) throws StunException {
        return decode(ByteBuffer.wrap(datagram), false);
    }

    public static StunMessage decode(byte[] datagram, int offset, int length, boolean acceptRfc3489)
            throws StunException {
        return decode(ByteBuffer.wrap(datagram, offset, length), acceptRfc3489);
    }

    /**
     * The message in {@code datagram}'s remaining bytes (position and limit are left as they were).
     *
     * @param acceptRfc3489 take a message whose cookie field is not the magic cookie as an RFC 3489
     *                      one instead of refusing it
     * @throws StunException naming the rule the datagram broke
     */
    public static StunMessage decode(ByteBuffer datagram, boolean acceptRfc3489) throws StunException {
        int base = datagram.position();
        int size = datagram.remaining();
        if (size < HEADER_LENGTH) {
            throw new StunException("truncated: " + size + " bytes, a STUN header has " + HEADER_LENGTH);
        }
        int type = u16(datagram, base);
        if ((type & 0xC000) != 0) {
            throw new StunException(String.format("first two bits must be 0, message type is 0x%04x", type));
        }
        int length = u16(datagram, base + 2);
        if (length % 4 != 0) {
            throw new StunException("message length " + length + " is not a multiple of 4");
        }
        if (length != size - HEADER_LENGTH) {
            throw new StunException("message length field says " + length + " bytes but the datagram carries "
                    + (size - HEADER_LENGTH) + " after the header");
        }
        int cookie = datagram.getInt(base + 4);
        if (cookie != MAGIC_COOKIE && !acceptRfc3489) {
            throw new StunException(String.format("magic cookie is 0x%08x, not 0x%08x", cookie, MAGIC_COOKIE));
        }
        TransactionId id = new TransactionId(datagram.getInt(base + 8), datagram.getInt(base + 12),
                datagram.getInt(base + 16));

        List<StunAttribute> attributes = new ArrayList<>();
        int at = HEADER_LENGTH;
        boolean fingerprinted = false;
        while (at < size) {
            if (fingerprinted) {
                throw new StunException("attribute at offset " + at + " follows FINGERPRINT, which must be last");
            }
            // at and size are multiples of 4 here, so a whole attribute header is always there
            int attributeType = u16(datagram, base + at);
            int valueLength = u16(datagram, base + at + 2);
            int padded = (valueLength + 3) & ~3;
            if (padded > size - at - 4) {
                throw new StunException(String.format("attribute 0x%04x at offset %d has length %d, more than the"
                        + " %d bytes left in the message", attributeType, at, valueLength, size - at - 4));
            }
            byte[] value = new byte[valueLength];
            datagram.get(base + at + 4, value);
            if (attributeType == StunAttributeType.FINGERPRINT) {
                checkFingerprint(datagram, base, at, value);
                fingerprinted = true;
            }
            attributes.add(new StunAttribute(attributeType, value));
            at += 4 + padded;
        }
        return new StunMessage(type, cookie, id, attributes);
    }

    private static void checkFingerprint(ByteBuffer datagram, int base, int at, byte[] value) throws StunException {
        if (value.length != 4) {
            throw new StunException("FINGERPRINT has length " + value.length + ", not 4");
        }
        int expected = crc(datagram, base, at) ^ FINGERPRINT_XOR;
        int got = ByteBuffer.wrap(value).getInt();
        if (got != expected) {
            throw new StunException(String.format("FINGERPRINT is 0x%08x, the message's is 0x%08x", got, expected));
        }
    }

    /** CRC-32 (ISO HDLC, as zlib's) over {@code length} bytes from {@code base}. */
    static int crc(ByteBuffer datagram, int base, int length) {
        ByteBuffer range = datagram.duplicate();
        range.limit(base + length).position(base);
        CRC32 crc = new CRC32();
        crc.update(range);
        return (int) crc.getValue();
    }

    /**
     * The wire form of a message, attributes zero-padded to 4 bytes.
     *
     * @param fingerprint append a FINGERPRINT (the message must not already have one)
     */
    public static byte[] encode(StunMessage message, boolean fingerprint) {
        int length = 0;
        for (StunAttribute a : message.attributes()) {
            if (fingerprint && a.type() == StunAttributeType.FINGERPRINT) {
                throw new IllegalArgumentException("the message already has a FINGERPRINT; encode adds it last");
            }
            length += 4 + ((a.length() + 3) & ~3);
        }
        if (fingerprint) {
            length += 8;
        }
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("attributes of " + length + " bytes do not fit the 16-bit length field");
        }
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + length);
        out.putShort((short) message.type()).putShort((short) length).putInt(message.cookie());
        TransactionId id = message.transactionId();
        out.putInt(id.word0()).putInt(id.word1()).putInt(id.word2());
        for (StunAttribute a : message.attributes()) {
            out.putShort((short) a.type()).putShort((short) a.length()).put(a.valueNoCopy());
            out.position(out.position() + ((4 - a.length() % 4) % 4));
        }
        if (fingerprint) {
            int at = out.position();
            out.putShort((short) StunAttributeType.FINGERPRINT).putShort((short) 4)
                    .putInt(crc(out, 0, at) ^ FINGERPRINT_XOR);
        }
        return out.array();
    }

    private static int u16(ByteBuffer b, int index) {
        return b.getShort(index) & 0xFFFF;
    }
}
