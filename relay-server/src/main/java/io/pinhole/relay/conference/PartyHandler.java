package io.pinhole.relay.conference;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The receive path of one party's RTP socket, on the conference loop: latches the first source
 * (then only that source counts, as for relayed calls), hands 20 ms frames of the party's codec
 * to its jitter buffer and RFC 4733 events to its PIN gate, and drops the rest, counted. Copies
 * the frame into the jitter buffer's slot and releases the datagram at once; never logs per
 * packet, never closes the socket.
 */
final class PartyHandler extends ChannelInboundHandlerAdapter {

    private final Party party;

    PartyHandler(Party party) {
        this.party = party;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            receive(packet.sender(), packet.content());
        } finally {
            packet.release();
        }
    }

    private void receive(InetSocketAddress source, ByteBuf buf) {
        Party p = party;
        InetSocketAddress latched = p.latched;
        if (latched == null) {
            p.latched = source;
        } else if (!latched.equals(source)) {
            p.dropped++;
            return;
        }
        int at = buf.readerIndex();
        int length = buf.readableBytes();
        if (length < FrameOut.HEADER || (buf.getByte(at) & 0xC0) != 0x80) {
            p.dropped++;
            return;
        }
        p.packetsIn++;
        p.bytesIn += length;
        int first = buf.getUnsignedByte(at);
        int header = FrameOut.HEADER + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (length < header + 4) {
                p.dropped++;
                return;
            }
            header += 4 + 4 * buf.getUnsignedShort(at + header + 2);
        }
        int padding = (first & 0x20) != 0 ? buf.getUnsignedByte(at + length - 1) : 0;
        int payload = length - header - padding;
        int pt = buf.getUnsignedByte(at + 1) & 0x7F;
        if (pt == p.telephoneEvent && payload >= 4) {
            p.key(p.events.accept(buf.getInt(at + 4), buf.getUnsignedByte(at + header),
                    buf.getUnsignedByte(at + header + 1)));
            return;
        }
        if (pt != p.codec.payloadType() || payload != JitterBuffer.FRAME_BYTES) {
            p.dropped++;
            return;
        }
        p.jitter.put(buf.getUnsignedShort(at + 2), buf, at + header);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. ICMP port unreachable after the phone went: count it, keep the socket
        party.dropped++;
    }
}
