package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * The hot path: the one handler of a media socket. Hands STUN to {@link MediaStun} (answered
 * from this socket, never forwarded); for media, latches or checks the source, then hands the
 * received buffer itself (no copy) to the peer endpoint's {@link MediaEgress} (its UDP socket,
 * re-addressed to the peer's latched or SDP address, or its TCP/TLS connection) and flushes once
 * per read batch. Over UDP the only allocation per packet is the outgoing {@link DatagramPacket}
 * wrapper. Never logs per packet and never closes the channel on an error: a UDP socket carries on
 * after a bad datagram.
 *
 * <p>For keepalives it records, once per read batch, when it last sent towards the peer on each
 * port, and puts an endpoint in its loop's {@link KeepaliveWheel} when that endpoint first latches.
 */
final class ForwardingHandler extends ChannelInboundHandlerAdapter {

    private final Endpoint in;
    private final boolean rtcpSocket;
    private final KeepaliveWheel keepalives;
    private final LongSupplier nanoClock;
    /** null: no STUN answering here, STUN-looking datagrams are media like any other */
    private final MediaStun stun;
    private MediaEgress pending;
    private boolean received;
    private boolean stunReplied;
    /** The loop's list of open media sockets this socket is in, or null for none (see {@link OpenSockets}). */
    private final OpenSockets openSockets;
    /** This socket's channel, once the handler is added (for {@link OpenSockets#closeAll()}). */
    Channel channel;
    ForwardingHandler previousOpen;
    ForwardingHandler nextOpen;

    /** A socket that does not answer STUN. */
    ForwardingHandler(Endpoint in, boolean rtcpSocket, KeepaliveWheel keepalives, LongSupplier nanoClock) {
        this(in, rtcpSocket, keepalives, nanoClock, null, null);
    }

    /**
     * @param keepalives the wheel of the endpoint's loop, or null when keepalives are off
     * @param stun       answers the STUN that reaches this socket; null for none
     * @param openSockets the list of the endpoint's loop this socket joins while it is open; null for none
     */
    ForwardingHandler(Endpoint in, boolean rtcpSocket, KeepaliveWheel keepalives, LongSupplier nanoClock,
                      MediaStun stun, OpenSockets openSockets) {
        this.in = in;
        this.rtcpSocket = rtcpSocket;
        this.keepalives = keepalives;
        this.nanoClock = nanoClock;
        this.stun = stun;
        this.openSockets = openSockets;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Netty defers this until the channel is registered, then runs it on the channel's loop
        channel = ctx.channel();
        if (openSockets != null) {
            openSockets.add(this);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // on deregistration after the close, on the channel's loop
        if (openSockets != null) {
            openSockets.remove(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf buf = packet.content();
        Endpoint self = in;
        if (stun != null && MediaStun.isStun(buf)) {
            stunReplied |= stun.answer(ctx, self, packet);
            return;
        }
        if (!accept(self, packet.sender(), buf)) {
            self.dropped++;
            buf.release();
            return;
        }
        received = true;
        MediaEgress egress = Forwarding.forward(self, buf, rtcpSocket);
        if (egress != null && egress != pending) {
            if (pending != null) {
                // the peer's egress changed within this batch (a TCP connection bound): flush the old one
                pending.flush(nanoClock.getAsLong());
            }
            pending = egress;
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
        if (policy.relatchOnNewSsrc() && !rtcpSocket && Forwarding.isRtp(buf) && buf.getInt(buf.readerIndex() + 8) != self.latchedSsrc) {
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
            if (Forwarding.isRtp(buf)) {
                self.latchedSsrc = buf.getInt(buf.readerIndex() + 8);
            }
        }
        if (keepalives != null) {
            // this packet opened (or moved) the phone's mapping: its keepalive clock starts now
            long now = nanoClock.getAsLong();
            if (rtcpSocket) {
                self.rtcpOutNanos = now;
            } else {
                self.rtpOutNanos = now;
            }
            keepalives.watch(self, now);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (stunReplied) {
            stunReplied = false;
            ctx.flush();
        }
        if (!received) {
            return; // nothing accepted, so nothing forwarded either
        }
        received = false;
        long now = nanoClock.getAsLong();
        in.lastPacketNanos = now;
        if (pending != null) {
            pending.flush(now);
            pending = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. ICMP port unreachable surfacing as an error on the socket: count it, keep the socket
        in.dropped++;
    }
}
