package io.pinhole.relay.stun;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.pinhole.wire.stun.Alternate;
import io.pinhole.wire.stun.BindingAnswer;
import io.pinhole.wire.stun.BindingResponder;
import java.net.InetSocketAddress;

/**
 * One STUN server socket: answers each datagram as {@link BindingResponder} decides (RFC 3489
 * clients too: this is the port the old NAT-type tools use), from the socket the answer names, and
 * flushes the sockets it wrote to once per read batch. Malformed datagrams and indications get no
 * answer. Every Binding request is noted in {@link UdpSightings}. All the server's sockets share one event loop, so writing to another one is safe; an
 * answer is dropped when its socket is not writable, so a flood costs bounded memory.
 */
final class StunHandler extends ChannelInboundHandlerAdapter {

    private final InetSocketAddress local;
    private final Alternate alternate;
    private final StunSockets sockets;
    private final BindingResponder responder;
    private final UdpSightings sightings;
    private final Channel[] pending = new Channel[4];
    private int pendingCount;

    StunHandler(InetSocketAddress local, Alternate alternate, StunSockets sockets, BindingResponder responder,
                UdpSightings sightings) {
        this.local = local;
        this.alternate = alternate;
        this.sockets = sockets;
        this.responder = responder;
        this.sightings = sightings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            sightings.record(packet.content(), packet.sender());
            BindingAnswer answer = responder.answer(packet.content().nioBuffer(), true, packet.sender(), local,
                    alternate);
            if (answer instanceof BindingAnswer.Reply reply) {
                send(reply, packet.sender());
            }
        } finally {
            packet.release();
        }
    }

    private void send(BindingAnswer.Reply reply, InetSocketAddress to) {
        Channel out = sockets.get(reply.from());
        if (out == null || !out.isWritable()) {
            return;
        }
        out.write(new DatagramPacket(Unpooled.wrappedBuffer(reply.datagram()), to), out.voidPromise());
        for (int i = 0; i < pendingCount; i++) {
            if (pending[i] == out) {
                return;
            }
        }
        pending[pendingCount++] = out;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (int i = 0; i < pendingCount; i++) {
            pending[i].flush();
            pending[i] = null;
        }
        pendingCount = 0;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. ICMP port unreachable from a client that left: a UDP socket carries on
    }
}
