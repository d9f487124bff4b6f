package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The report blocks of the last RTCP sender or receiver report a side sent (RFC 3550 §6.4): per
 * source it hears, the extended highest sequence number it received and the packets it lost. Kept
 * so a proxy that moved the call's media off the relay but left RTCP on it (RFC 3605 {@code a=rtcp}
 * naming the relay) can see whether media reaches each phone on the direct path.
 *
 * @param atNanos when it arrived (the relay's nano clock)
 */
public record ReceptionReport(long atNanos, List<Block> blocks) {

    /** One report block: what the reporter heard of {@code ssrc}. */
    public record Block(long ssrc, long highestSeq, int lost) {
    }

    private static final int SR = 200;
    private static final int RR = 201;
    private static final int BLOCK = 24;

    /**
     * The first SR or RR of an RTCP compound packet, read without consuming {@code rtcp}; null when
     * there is none (APP, BYE alone, a length running past the datagram, not version 2).
     */
    public static ReceptionReport of(ByteBuf rtcp, long atNanos) {
        int at = rtcp.readerIndex();
        int end = rtcp.writerIndex();
        while (end - at >= 8) {
            int first = rtcp.getUnsignedByte(at);
            int type = rtcp.getUnsignedByte(at + 1);
            int length = (rtcp.getUnsignedShort(at + 2) + 1) * 4;
            if (first >> 6 != 2 || length > end - at) {
                return null;
            }
            if (type == SR || type == RR) {
                int count = first & 0x1f;
                int blocksAt = at + (type == SR ? 28 : 8);
                if (blocksAt + count * BLOCK > at + length) {
                    return null; // the header promises more report blocks than the packet holds
                }
                List<Block> blocks = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int b = blocksAt + i * BLOCK;
                    int lost = rtcp.getInt(b + 4) & 0xffffff;
                    if ((lost & 0x800000) != 0) {
                        lost -= 0x1000000; // 24-bit signed (RFC 3550 §6.4.1)
                    }
                    blocks.add(new Block(rtcp.getUnsignedInt(b), rtcp.getUnsignedInt(b + 8), lost));
                }
                return new ReceptionReport(atNanos, List.copyOf(blocks));
            }
            at += length;
        }
        return null;
    }
}
