package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.pinhole.wire.stun.BindingAnswer;
import io.pinhole.wire.stun.BindingResponder;
import io.pinhole.wire.stun.IceLiteResponder;
import io.pinhole.wire.stun.StunClass;
import io.pinhole.wire.stun.StunCodec;
import io.pinhole.wire.stun.StunDemux;
import io.pinhole.wire.stun.StunException;
import io.pinhole.wire.stun.StunMessage;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * STUN on the media sockets, for {@link ForwardingHandler}, which calls {@link #answer} for what
 * RFC 7983 calls STUN (first byte 0-3, see {@link #isStun}) before anything else: a Binding
 * request is answered from this same socket, so a phone or an ICE-lite peer learns its mapping
 * toward the relay; everything else is media (RTP and RTCP start with 128-191, so the media path
 * pays one byte compare). One instance for every socket of a transport, and no state of its own:
 * it is not a pipeline handler, so a media socket's pipeline holds one handler context, not two
 * (2 x 64 bytes and a handler less per socket, 4 sockets a call).
 *
 * <p>On a port whose phone got the relay's ICE credentials in its SDP (ICE=force), a signed
 * Binding request is an ICE connectivity check, answered as an ICE-lite agent does
 * ({@link IceLiteResponder}: MESSAGE-INTEGRITY keyed by that leg's password, 401 for other
 * credentials, counted in {@code dropped}); unsigned requests (registration probes, plain STUN
 * clients) get the plain answer there too.
 *
 * <p>STUN never reaches the other side, never latches a source (the phone's media comes from the
 * pair it checked, and its first RTP packet latches it as before) and is not media: it keeps no
 * call alive and counts in no packet total; STUN that is not a well-formed message counts in
 * {@code dropped}. Only RFC 5389
 * requests (magic cookie) are answered here: the RFC 3489 kind is the STUN port's business, and
 * the cookie is what tells real STUN from junk that happens to start with 0-3.
 *
 * <p>Bounded work per datagram, all on the endpoint's event loop: one decode and at most one
 * reply of about 60 bytes, flushed once per read batch by the caller. A reply is dropped rather
 * than queued when the socket is not writable, so a flood of requests cannot pile up memory in
 * front of media.
 */
final class MediaStun {

    private final BindingResponder responder;

    MediaStun(BindingResponder responder) {
        this.responder = responder;
    }

    /** The datagram is STUN by its first byte (RFC 7983), so it goes to {@link #answer}, not the peer. */
    static boolean isStun(ByteBuf buf) {
        return buf.isReadable() && StunDemux.isStun(buf.getUnsignedByte(buf.readerIndex()));
    }

    /**
     * Answers the STUN datagram that reached {@code endpoint}'s socket, if it asks for an answer,
     * and releases it.
     *
     * @return true when a reply was written (not flushed) on the socket
     */
    boolean answer(ChannelHandlerContext ctx, Endpoint endpoint, DatagramPacket packet) {
        try {
            return reply(ctx, endpoint, packet, packet.content());
        } finally {
            packet.content().release();
        }
    }

    private boolean reply(ChannelHandlerContext ctx, Endpoint endpoint, DatagramPacket packet, ByteBuf buf) {
        ByteBuffer datagram = buf.nioBuffer();
        StunMessage request;
        try {
            request = StunCodec.decode(datagram, false);
        } catch (StunException e) {
            endpoint.dropped++;
            return false;
        }
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        IceCredentials ice = endpoint.ice();
        BindingAnswer answer;
        if (ice != null && request.method() == StunMessage.BINDING && request.messageClass() == StunClass.REQUEST
                && IceLiteResponder.isCheck(request)) {
            answer = IceLiteResponder.answer(datagram, request, packet.sender(), local, ice.ufrag(), ice.key());
            if (answer instanceof BindingAnswer.Reply reply && reply.errorCode() != 0) {
                endpoint.dropped++; // a check with other credentials: counted, never logged per packet
            }
        } else {
            // null alternate: the plain RFC 5389 Binding usage, answered from this socket
            answer = responder.answer(request, packet.sender(), local, null);
        }
        if (answer instanceof BindingAnswer.Reply reply && ctx.channel().isWritable()) {
            ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(reply.datagram()), packet.sender()), ctx.voidPromise());
            return true;
        }
        return false;
    }
}
