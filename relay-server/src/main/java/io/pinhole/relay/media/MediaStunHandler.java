package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.pinhole.wire.stun.BindingAnswer;
import io.pinhole.wire.stun.BindingResponder;
import io.pinhole.wire.stun.StunDemux;
import java.net.InetSocketAddress;

/**
 * First handler of every media socket: takes out what RFC 7983 calls STUN (first byte 0-3) and
 * answers a Binding request from this same socket, so a phone or an ICE-lite peer learns its
 * mapping toward the relay; everything else goes on to the {@link ForwardingHandler} untouched
 * (RTP and RTCP start with 128-191, so the media path pays one byte compare).
 *
 * <p>STUN never reaches the other side, never latches a source (a later RTP packet latches as
 * before, from wherever it comes) and is not media: it keeps no call alive and counts in no packet
 * total; STUN that is not a well-formed message counts in {@code dropped}. Only RFC 5389
 * requests (magic cookie) are answered here: the RFC 3489 kind is the STUN port's business, and
 * the cookie is what tells real STUN from junk that happens to start with 0-3.
 *
 * <p>Bounded work per datagram, all on the endpoint's event loop: one decode and at most one
 * reply of about 60 bytes, flushed once per read batch. A reply is dropped rather than queued
 * when the socket is not writable, so a flood of requests cannot pile up memory in front of media.
 */
final class MediaStunHandler extends ChannelInboundHandlerAdapter {

    private final Endpoint endpoint;
    private final BindingResponder responder;
    private boolean replied;

    MediaStunHandler(Endpoint endpoint, BindingResponder responder) {
        this.endpoint = endpoint;
        this.responder = responder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket packet) {
            ByteBuf buf = packet.content();
            if (buf.isReadable() && StunDemux.isStun(buf.getUnsignedByte(buf.readerIndex()))) {
                try {
                    answer(ctx, packet, buf);
                } finally {
                    buf.release();
                }
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void answer(ChannelHandlerContext ctx, DatagramPacket packet, ByteBuf buf) {
        // null alternate: the plain RFC 5389 Binding usage, answered from this socket
        BindingAnswer answer = responder.answer(buf.nioBuffer(), false, packet.sender(),
                (InetSocketAddress) ctx.channel().localAddress(), null);
        if (answer instanceof BindingAnswer.Reply reply) {
            if (ctx.channel().isWritable()) {
                ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(reply.datagram()), packet.sender()),
                        ctx.voidPromise());
                replied = true;
            }
        } else if (answer instanceof BindingAnswer.Malformed) {
            endpoint.dropped++;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (replied) {
            replied = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }
}
