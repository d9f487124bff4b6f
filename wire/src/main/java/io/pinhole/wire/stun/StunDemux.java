package io.pinhole.wire.stun;

import java.nio.ByteBuffer;

/**
 * Which protocol a datagram on a shared port belongs to, from its first byte alone (RFC 7983
 * section 7, the table RFC 5764 started): STUN 0-3, ZRTP 16-19, DTLS 20-63, TURN channel data
 * 64-79, RTP and RTCP 128-191. SIP over UDP starts with a letter (a method or "SIP/2.0") or a
 * CRLF keep-alive, never 0-3, so a SIP port can use {@link #isStun} to pick out STUN keep-alives
 * (RFC 5626); {@link #classify} is for media ports (a SIP "INVITE" falls in the TURN range).
 *
 * <p>Only a first guess, as cheap as a byte compare so the media path can afford it per packet;
 * whether it really is STUN is the codec's call ({@link StunCodec#decode(ByteBuffer, boolean)}).
 */
public final class StunDemux {

    /** The RFC 7983 ranges, and what lies outside them. */
    public enum Kind {
        STUN,
        ZRTP,
        DTLS,
        TURN_CHANNEL,
        RTP_RTCP,
        OTHER
    }

    private StunDemux() {
    }

    /** @param firstByte the datagram's first byte, 0-255 (or a signed byte: only the low 8 bits count) */
    public static Kind classify(int firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return Kind.STUN;
        }
        if (b >= 16 && b <= 19) {
            return Kind.ZRTP;
        }
        if (b >= 20 && b <= 63) {
            return Kind.DTLS;
        }
        if (b >= 64 && b <= 79) {
            return Kind.TURN_CHANNEL;
        }
        if (b >= 128 && b <= 191) {
            return Kind.RTP_RTCP;
        }
        return Kind.OTHER;
    }

    public static boolean isStun(int firstByte) {
        return (firstByte & 0xFF) <= 3;
    }

    /** False for an empty datagram. */
    public static boolean isStun(byte[] datagram, int offset, int length) {
        return length > 0 && isStun(datagram[offset]);
    }

    public static boolean isStun(byte[] datagram) {
        return isStun(datagram, 0, datagram.length);
    }

    /** Looks at the byte at the buffer's position without moving it; false when nothing remains. */
    public static boolean isStun(ByteBuffer datagram) {
        return datagram.hasRemaining() && isStun(datagram.get(datagram.position()));
    }
}
