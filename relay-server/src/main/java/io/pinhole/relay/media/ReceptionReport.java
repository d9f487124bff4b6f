package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The first RTCP sender or receiver report of a compound packet (RFC 3550 §6.4): who sent it, its
 * sender information (SR only), and per source it hears a report block (the extended highest
 * sequence number it received, the packets it lost, jitter, LSR/DLSR); with the SSRC of the first
 * SDES of the compound. The one RTCP report parser of the relay, for two readers:
 * <ul>
 *   <li>the relay keeps each side's last one, so a proxy that moved the call's media off the relay
 *       but left RTCP on it (RFC 3605 {@code a=rtcp} naming the relay) can see whether media
 *       reaches each phone on the direct path ({@code query});</li>
 *   <li>the RTCP capture sends it to Homer as JSON ({@code RtcpJson}).</li>
 * </ul>
 *
 * @param atNanos  when it arrived (the relay's nano clock)
 * @param ssrc     the reporter
 * @param type     200 (SR) or 201 (RR)
 * @param sender   the sender information of an SR, null for an RR
 * @param sdesSsrc the SSRC of the first SDES chunk in the compound, -1 when there is none
 */
public record ReceptionReport(long atNanos, long ssrc, int type, SenderInfo sender, List<Block> blocks, long sdesSsrc) {

    /** An SR's sender information: NTP timestamp (seconds, 32-bit fraction), RTP timestamp, packet and octet counts. */
    public record SenderInfo(long ntpSeconds, long ntpFraction, long rtpTimestamp, long packets, long octets) {
    }

    /**
     * One report block: what the reporter heard of {@code ssrc}.
     *
     * @param lost cumulative packets lost, 24-bit signed (duplicates can make it negative)
     */
    public record Block(long ssrc, int fractionLost, int lost, long highestSeq, long jitter, long lsr, long dlsr) {
    }

    public static final int SR = 200;
    public static final int RR = 201;
    static final int SDES = 202;
    private static final int BLOCK = 24;

    /**
     * Reads an RTCP compound packet without consuming {@code rtcp}; null when it holds no SR or RR
     * (APP, BYE alone), or is not RTCP we can trust: not version 2, a length running past the
     * datagram, more report blocks promised than a report holds.
     */
    public static ReceptionReport of(ByteBuf rtcp, long atNanos) {
        int at = rtcp.readerIndex();
        int end = rtcp.writerIndex();
        ReceptionReport report = null;
        long sdesSsrc = -1;
        while (end - at >= 8) {
            int first = rtcp.getUnsignedByte(at);
            int type = rtcp.getUnsignedByte(at + 1);
            int length = (rtcp.getUnsignedShort(at + 2) + 1) * 4;
            if (first >> 6 != 2 || length > end - at) {
                return null;
            }
            int count = first & 0x1f;
            if (report == null && (type == SR || type == RR)) {
                report = report(rtcp, at, type, count, length, atNanos);
                if (report == null) {
                    return null;
                }
            } else if (type == SDES && sdesSsrc < 0 && count > 0 && length >= 8) {
                sdesSsrc = rtcp.getUnsignedInt(at + 4);
            }
            at += length;
        }
        return report == null || sdesSsrc < 0 ? report
                : new ReceptionReport(atNanos, report.ssrc, report.type, report.sender, report.blocks, sdesSsrc);
    }

    private static ReceptionReport report(ByteBuf rtcp, int at, int type, int count, int length, long atNanos) {
        int blocksAt = at + (type == SR ? 28 : 8);
        if (blocksAt + count * BLOCK > at + length) {
            return null; // the header promises more report blocks than the packet holds
        }
        SenderInfo sender = type == SR ? new SenderInfo(rtcp.getUnsignedInt(at + 8), rtcp.getUnsignedInt(at + 12),
                rtcp.getUnsignedInt(at + 16), rtcp.getUnsignedInt(at + 20), rtcp.getUnsignedInt(at + 24)) : null;
        List<Block> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int b = blocksAt + i * BLOCK;
            int lost = rtcp.getInt(b + 4) & 0xffffff;
            if ((lost & 0x800000) != 0) {
                lost -= 0x1000000; // 24-bit signed (RFC 3550 §6.4.1)
            }
            blocks.add(new Block(rtcp.getUnsignedInt(b), rtcp.getUnsignedByte(b + 4), lost, rtcp.getUnsignedInt(b + 8),
                    rtcp.getUnsignedInt(b + 12), rtcp.getUnsignedInt(b + 16), rtcp.getUnsignedInt(b + 20)));
        }
        return new ReceptionReport(atNanos, rtcp.getUnsignedInt(at + 4), type, sender, List.copyOf(blocks), -1);
    }
}
