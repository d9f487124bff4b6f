package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;

/**
 * What every transport does with a packet a side sent, once its source is accepted: count it on
 * that side and hand it to the peer side's {@link MediaEgress}. Shared by the UDP sockets'
 * {@link ForwardingHandler} and the TCP/TLS connections, and, like them, run only on the call's
 * event loop (the counters have one writer).
 */
public final class Forwarding {

    private Forwarding() {
    }

    /**
     * Forwards one packet from {@code from} to its peer side.
     *
     * @param buf           the packet; ownership passes here (forwarded or released)
     * @param rtcpComponent it arrived on an RTCP port or stream; otherwise it still counts as RTCP
     *                      when it looks like muxed RTCP (RFC 5761)
     * @return the egress to flush at the end of the read batch, or null when the packet was dropped
     */
    public static MediaEgress forward(Endpoint from, ByteBuf buf, boolean rtcpComponent) {
        int length = buf.readableBytes();
        from.packetsIn++;
        from.bytesIn += length;
        Endpoint out = from.peer();
        MediaEgress egress = out.egress();
        boolean rtcp = rtcpComponent || isRtcp(buf);
        if (rtcp) {
            from.rtcpIn++;
            ReceptionReport report = ReceptionReport.of(buf, System.nanoTime()); // a packet every few seconds: affordable
            if (report != null) {
                from.lastReport = report;
            }
            RtcpTap tap = from.rtcpTap();
            if (tap != null) {
                tap.rtcp(from, buf); // before the write, which may hand the buffer on
            }
        } else if (length >= 12 && (buf.getByte(buf.readerIndex()) & 0xC0) == 0x80) {
            // what the peer's receiver reports are compared with: the last sequence number that went through here
            from.lastRtp = (buf.getUnsignedInt(buf.readerIndex() + 8) << 16) | buf.getUnsignedShort(buf.readerIndex() + 2);
        }
        if (!egress.write(buf, rtcp)) {
            from.dropped++;
            return null;
        }
        out.packetsOut++;
        out.bytesOut += length;
        return egress;
    }

    /** The end of a read batch that brought media from this side: the media timeout restarts. */
    public static void received(Endpoint from, long nowNanos) {
        from.lastPacketNanos = nowNanos;
    }

    static boolean isRtp(ByteBuf buf) {
        return buf.readableBytes() >= 12 && (buf.getByte(buf.readerIndex()) & 0xC0) == 0x80 && !isRtcp(buf);
    }

    /** RFC 5761 section 4: on a muxed port, payload types 64-95 (with marker: 192-223) are RTCP. */
    static boolean isRtcp(ByteBuf buf) {
        if (buf.readableBytes() < 8) {
            return false;
        }
        int pt = buf.getUnsignedByte(buf.readerIndex() + 1);
        return pt >= 192 && pt <= 223 && (buf.getByte(buf.readerIndex()) & 0xC0) == 0x80;
    }
}
