package io.pinhole.wire.stun;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY with a short-term credential (RFC 5389 sections 15.4 and 10.1), as ICE uses
 * it: HMAC-SHA1 keyed by the password over the message up to the attribute, with the header's
 * length field counting up to the end of MESSAGE-INTEGRITY (so a FINGERPRINT after it is left
 * out). Pure functions on bytes; the key is the password's bytes (ICE passwords are ASCII, which
 * SASLprep leaves unchanged).
 */
public final class StunIntegrity {

    private static final int MI_LENGTH = 20;

    private StunIntegrity() {
    }

    /** The short-term key for {@code password}. */
    public static byte[] key(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether the message in {@code datagram}'s remaining bytes (already decoded, so its framing is
     * sound) carries a MESSAGE-INTEGRITY that {@code key} produced. False without one.
     */
    public static boolean verify(ByteBuffer datagram, byte[] key) {
        int base = datagram.position();
        int size = datagram.remaining();
        int at = StunCodec.HEADER_LENGTH;
        while (at + 4 <= size) {
            int type = datagram.getShort(base + at) & 0xFFFF;
            int length = datagram.getShort(base + at + 2) & 0xFFFF;
            if (type == StunAttributeType.MESSAGE_INTEGRITY) {
                if (length != MI_LENGTH || at + 4 + MI_LENGTH > size) {
                    return false;
                }
                byte[] expected = hmac(datagram, base, at, key);
                byte[] got = new byte[MI_LENGTH];
                datagram.get(base + at + 4, got);
                return MessageDigest.isEqual(expected, got); // constant time
            }
            at += 4 + ((length + 3) & ~3);
        }
        return false;
    }

    /**
     * The wire form of {@code message} followed by MESSAGE-INTEGRITY (keyed by {@code key}) and
     * FINGERPRINT, the order RFC 5389 section 15 requires.
     */
    public static byte[] encodeSigned(StunMessage message, byte[] key) {
        java.util.List<StunAttribute> attributes = new java.util.ArrayList<>(message.attributes().size() + 1);
        attributes.addAll(message.attributes());
        attributes.add(new StunAttribute(StunAttributeType.MESSAGE_INTEGRITY, new byte[MI_LENGTH]));
        byte[] out = StunCodec.encode(new StunMessage(message.type(), message.cookie(), message.transactionId(),
                attributes), true);
        ByteBuffer b = ByteBuffer.wrap(out);
        int fingerprintAt = out.length - 8;
        int integrityAt = fingerprintAt - 4 - MI_LENGTH;
        b.put(integrityAt + 4, hmac(b, 0, integrityAt, key));
        b.putInt(fingerprintAt + 4, StunCodec.crc(b, 0, fingerprintAt) ^ StunCodec.FINGERPRINT_XOR);
        return out;
    }

    /** HMAC-SHA1 over the {@code at} bytes before the MESSAGE-INTEGRITY attribute at offset {@code at}. */
    private static byte[] hmac(ByteBuffer message, int base, int at, byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            ByteBuffer header = ByteBuffer.allocate(4);
            header.putShort(message.getShort(base)).putShort((short) (at - StunCodec.HEADER_LENGTH + 4 + MI_LENGTH));
            mac.update(header.flip());
            ByteBuffer rest = message.duplicate();
            rest.limit(base + at).position(base + 4);
            mac.update(rest);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }
}
