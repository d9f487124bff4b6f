package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The hot path: one instance per media socket. Latches or checks the source, then hands the
 * received buffer itself (no copy) to the peer endpoint's socket, re-addressed to the peer's
 * latched (or SDP) address, and flushes once per read batch. The only allocation per packet is
 * the outgoing {@link DatagramPacket} wrapper. Never logs per packet and never closes the channel
 * on an error: a UDP socket carries on after a bad datagram.
 */
final class ForwardingHandler extends ChannelInboundHandlerAdapter {

    private final Endpoint in;
    private final boolean rtcpSocket;
    private Channel pendingRtp;
    private Channel pendingRtcp;
    private boolean received;

    ForwardingHandler(Endpoint in, boolean rtcpSocket) {
        this.in = in;
        this.rtcpSocket = rtcpSocket;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf buf = packet.content();
        Endpoint self = in;
        if (!accept(self, packet.sender(), buf)) {
            self.dropped++;
            buf.release();
            return;
        }
        int length = buf.readableBytes();
        self.packetsIn++;
        self.bytesIn += length;
        received = true;

        Endpoint out = self.peer();
        boolean rtcp = rtcpSocket || isRtcp(buf);
        InetSocketAddress to = out.destination(rtcp);
        Channel channel = out.outChannel(rtcp);
        if (to == null || channel == null || !channel.isWritable()) {
            self.dropped++;
            buf.release();
            return;
        }
        channel.write(new DatagramPacket(buf, to), channel.voidPromise());
        out.packetsOut++;
        out.bytesOut += length;
        if (rtcp && channel != out.rtpChannel()) {
            pendingRtcp = channel;
        } else {
            pendingRtp = channel;
        }
    }

    /** Latching (symmetric RTP) and RTP-bleed protection; see {@link LatchPolicy}. */
    private boolean accept(Endpoint self, InetSocketAddress source, ByteBuf buf) {
        LatchPolicy policy = self.policy();
        if (!policy.symmetric()) {
            return true;
        }
        InetSocketAddress latched = rtcpSocket ? self.latchedRtcp : self.latchedRtp;
        if (latched == null) {
            latch(self, source, buf);
            return true;
        }
        if (latched.equals(source)) {
            return true;
        }
        if (policy.relatchOnNewSsrc() && !rtcpSocket && isRtp(buf) && buf.getInt(buf.readerIndex() + 8) != self.latchedSsrc) {
            latch(self, source, buf);
            return true;
        }
        return !policy.strictSource();
    }

    private void latch(Endpoint self, InetSocketAddress source, ByteBuf buf) {
        if (rtcpSocket) {
            self.latchedRtcp = source;
        } else {
            self.latchedRtp = source;
            if (isRtp(buf)) {
                self.latchedSsrc = buf.getInt(buf.readerIndex() + 8);
            }
        }
    }

    private static boolean isRtp(ByteBuf buf) {
        return buf.readableBytes() >= 12 && (buf.getByte(buf.readerIndex()) & 0xC0) == 0x80 && !isRtcp(buf);
    }

    /** RFC 5761 section 4: on a muxed port, payload types 64-95 (with marker: 192-223) are RTCP. */
    private static boolean isRtcp(ByteBuf buf) {
        if (buf.readableBytes() < 8) {
            return false;
        }
        int pt = buf.getUnsignedByte(buf.readerIndex() + 1);
        return pt >= 192 && pt <= 223 && (buf.getByte(buf.readerIndex()) & 0xC0) == 0x80;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (pendingRtp != null) {
            pendingRtp.flush();
            pendingRtp = null;
        }
        if (pendingRtcp != null) {
            pendingRtcp.flush();
            pendingRtcp = null;
        }
        if (received) {
            in.lastPacketNanos = System.nanoTime();
            received = false;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. ICMP port unreachable surfacing as an error on the socket: count it, keep the socket
        in.dropped++;
    }
}
