package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;
import io.pinhole.relay.sdp.PayloadTypes;

/**
 * What a keepalive looks like on the wire: pure encoding, no state.
 *
 * <p>RFC 6263 §4 lists what can keep an RTP NAT mapping open. Our choice, for a relay that is not
 * the media's source and must not disturb a phone that hears it:
 * <ul>
 *   <li><b>RTP port: an RTP packet with a payload type the stream did not negotiate</b> (§4.6,
 *       the method the RFC recommends): a 12-byte RTP header, version 2, no payload, marker 0,
 *       a payload type that appears in neither side's {@code m=} line (the dynamic range from
 *       127 down, then the unassigned 63-35; never 64-95, which RFC 5761 gives to RTCP on a
 *       muxed port). RFC 3550 §5.1: "a receiver MUST ignore packets with payload types that it
 *       does not understand", so the phone plays nothing. It carries an SSRC of its own (one per
 *       endpoint, never one of the call's media SSRCs), with its own sequence numbers (+1 per
 *       keepalive) and timestamps (8 kHz clock): the relay does not rewrite the media's
 *       sequence numbers, so borrowing the peer's SSRC would put gaps or repeats into the
 *       stream the phone plays.</li>
 *   <li><b>RTCP port: a compound RTCP packet</b>, a receiver report with no report block and an
 *       SDES CNAME (RFC 3550 §6.1: every compound packet starts with SR or RR and carries a
 *       CNAME), 36 bytes. A phone takes it as one more RTP receiver in the session; RTCP is
 *       meant to flow in every direction state, hold included (RFC 3264 §5.1). It goes only to
 *       a separate RTCP port: with rtcp-mux the RTP port's keepalive keeps the one mapping.</li>
 * </ul>
 * Not chosen: an empty UDP datagram (§4.1; a read of 0 bytes is an error or end-of-stream to some
 * stacks), comfort noise (§4.2, Asterisk's {@code rtp_keepalive}: it must have been negotiated,
 * and a phone plays it), a STUN indication (§4.4: a phone without ICE may take it for RTP), a
 * wrong RTP version (§4.5: receivers log or count it as an error), RTCP on the RTP port (§4.3:
 * only where rtcp-mux was negotiated). With SRTP the keepalive fails authentication and is
 * dropped by the phone, which is all it has to do: the NAT has seen it by then.
 */
final class KeepalivePacket {

    static final int RTP_LENGTH = 12;

    private static final int RTCP_RR = 201;
    private static final int RTCP_SDES = 202;
    private static final int SDES_CNAME = 1;

    private KeepalivePacket() {
    }

    /**
     * The payload type for an RTP keepalive on a stream whose two sides list {@code a} and
     * {@code b}, or -1 when they use every candidate (then no RTP keepalive is safe).
     */
    static int payloadType(PayloadTypes a, PayloadTypes b) {
        PayloadTypes used = a.union(b);
        for (int pt = 127; pt >= 96; pt--) {
            if (!used.contains(pt)) {
                return pt;
            }
        }
        for (int pt = 63; pt >= 35; pt--) {
            if (!used.contains(pt)) {
                return pt;
            }
        }
        return -1;
    }

    static void writeRtp(ByteBuf out, int payloadType, int sequence, int timestamp, int ssrc) {
        out.writeByte(0x80); // V=2, no padding, no extension, no CSRC
        out.writeByte(payloadType & 0x7F); // marker 0
        out.writeShort(sequence);
        out.writeInt(timestamp);
        out.writeInt(ssrc);
    }

    /** Bytes of {@link #writeRtcp} with a CNAME of {@code cnameLength} bytes (at most 255). */
    static int rtcpLength(int cnameLength) {
        return 8 + 4 + sdesChunk(cnameLength);
    }

    /** RR (no report blocks) + SDES with one chunk: {@code ssrc}'s CNAME. */
    static void writeRtcp(ByteBuf out, int ssrc, byte[] cname) {
        out.writeByte(0x80); // V=2, RC=0
        out.writeByte(RTCP_RR);
        out.writeShort(1); // length in 32-bit words minus one
        out.writeInt(ssrc);
        int chunk = sdesChunk(cname.length);
        out.writeByte(0x81); // V=2, SC=1
        out.writeByte(RTCP_SDES);
        out.writeShort(chunk / 4); // (4 header + chunk) / 4 - 1
        out.writeInt(ssrc);
        out.writeByte(SDES_CNAME);
        out.writeByte(cname.length);
        out.writeBytes(cname);
        out.writeZero(chunk - 4 - 2 - cname.length); // the END item and padding to 32 bits
    }

    /** SSRC, CNAME item, at least one zero octet (END), padded to a multiple of 4. */
    private static int sdesChunk(int cnameLength) {
        return (4 + 2 + cnameLength + 1 + 3) & ~3;
    }
}
