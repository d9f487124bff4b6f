package io.pinhole.wire.hep;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * HEP v3 encoding (the Homer Encapsulation Protocol, as Homer, Kamailio's {@code sipcapture} and
 * heplify read it) of one SIP message or RTCP report: "HEP3", the total length, then chunks of vendor id 0, chunk type, chunk length
 * (header included) and value, all big-endian. A pure function of the captured message.
 */
public final class HepPacket {

    static final int FAMILY = 0x01;
    static final int PROTOCOL = 0x02;
    static final int SRC_IPV4 = 0x03;
    static final int DST_IPV4 = 0x04;
    static final int SRC_IPV6 = 0x05;
    static final int DST_IPV6 = 0x06;
    static final int SRC_PORT = 0x07;
    static final int DST_PORT = 0x08;
    static final int SECONDS = 0x09;
    static final int MICROS = 0x0a;
    static final int PROTOCOL_TYPE = 0x0b;
    static final int CAPTURE_ID = 0x0c;
    static final int AUTH_KEY = 0x0e;
    static final int PAYLOAD = 0x0f;
    static final int CORRELATION_ID = 0x11;

    /** HEP protocol type of a SIP message. */
    public static final int TYPE_SIP = 1;
    /** HEP protocol type of an RTCP report, carried as JSON (as rtpengine and heplify send it, Homer reads it). */
    public static final int TYPE_RTCP_JSON = 5;

    private static final int CHUNK_HEADER = 6;
    private static final byte IPPROTO_TCP = 6;
    private static final byte IPPROTO_UDP = 17;

    private HepPacket() {
    }

    /**
     * One captured message.
     *
     * @param tcp          over a stream transport (TCP or TLS: HEP records IP protocol 6 for both)
     * @param epochMicros  when it was received or sent
     * @param correlationId the Call-ID, so the collector groups a call's messages; may be null
     */
    public record Captured(InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
                           boolean tcp, long epochMicros, String correlationId, byte[] payload) {
    }

    /** A SIP message. */
    public static byte[] encode(Captured m, int captureId, String authKey) {
        return encode(m, TYPE_SIP, captureId, authKey);
    }

    /**
     * @param protocolType {@link #TYPE_SIP} or {@link #TYPE_RTCP_JSON}
     * @throws IllegalArgumentException when the two addresses are of different families or it exceeds 65535 bytes
     */
    public static byte[] encode(Captured m, int protocolType, int captureId, String authKey) {
        boolean v4 = m.source() instanceof Inet4Address;
        if (v4 != (m.destination() instanceof Inet4Address)) {
            throw new IllegalArgumentException("source and destination of one message are of different IP families");
        }
        byte[] auth = authKey == null ? null : authKey.getBytes(StandardCharsets.UTF_8);
        byte[] correlation = m.correlationId() == null ? null : m.correlationId().getBytes(StandardCharsets.UTF_8);
        int addressLength = v4 ? 4 : 16;
        int length = 6 + 2 * (CHUNK_HEADER + 1) + 2 * (CHUNK_HEADER + addressLength) + 2 * (CHUNK_HEADER + 2)
                + 2 * (CHUNK_HEADER + 4) + (CHUNK_HEADER + 1) + (CHUNK_HEADER + 4)
                + (auth == null ? 0 : CHUNK_HEADER + auth.length)
                + (correlation == null ? 0 : CHUNK_HEADER + correlation.length)
                + CHUNK_HEADER + m.payload().length;
        if (length > 0xffff) {
            throw new IllegalArgumentException("HEP packet of " + length + " bytes exceeds 65535");
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.put((byte) 'H').put((byte) 'E').put((byte) 'P').put((byte) '3').putShort((short) length);
        chunk(out, FAMILY, 1).put((byte) (v4 ? 2 : 10));
        chunk(out, PROTOCOL, 1).put(m.tcp() ? IPPROTO_TCP : IPPROTO_UDP);
        chunk(out, v4 ? SRC_IPV4 : SRC_IPV6, addressLength).put(m.source().getAddress());
        chunk(out, v4 ? DST_IPV4 : DST_IPV6, addressLength).put(m.destination().getAddress());
        chunk(out, SRC_PORT, 2).putShort((short) m.sourcePort());
        chunk(out, DST_PORT, 2).putShort((short) m.destinationPort());
        chunk(out, SECONDS, 4).putInt((int) (m.epochMicros() / 1_000_000));
        chunk(out, MICROS, 4).putInt((int) (m.epochMicros() % 1_000_000));
        chunk(out, PROTOCOL_TYPE, 1).put((byte) protocolType);
        chunk(out, CAPTURE_ID, 4).putInt(captureId);
        if (auth != null) {
            chunk(out, AUTH_KEY, auth.length).put(auth);
        }
        if (correlation != null) {
            chunk(out, CORRELATION_ID, correlation.length).put(correlation);
        }
        chunk(out, PAYLOAD, m.payload().length).put(m.payload());
        return out.array();
    }

    private static ByteBuffer chunk(ByteBuffer out, int type, int valueLength) {
        return out.putShort((short) 0).putShort((short) type).putShort((short) (CHUNK_HEADER + valueLength));
    }
}
