package io.pinhole.edge.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.pinhole.wire.stream.MediaFrames;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One call's anchored media: its streams (LAN sockets) and its link to the relay. Every channel
 * of a session is registered on the session's one event loop, so the packet paths need no locks;
 * the SIP thread only swaps the (volatile) link and adds streams.
 */
final class MediaSession {

    final String callId;
    final EventLoop loop;
    private final List<MediaStream> streams = new CopyOnWriteArrayList<>();
    private volatile RelayLink link;
    /** A 2xx to an INVITE passed (set on the SIP thread). */
    volatile boolean answered;
    /** When a packet last passed either way (or the session began): the idle sweep reads it. */
    volatile long lastPacketNanos = System.nanoTime();
    /** Packets and payload bytes each way, for the log line at the end and for tests. */
    final AtomicLong toRelay = new AtomicLong();
    final AtomicLong toPhone = new AtomicLong();

    MediaSession(String callId, EventLoop loop) {
        this.callId = callId;
        this.loop = loop;
    }

    MediaStream stream(int index) {
        return index < streams.size() ? streams.get(index) : null;
    }

    List<MediaStream> streams() {
        return streams;
    }

    void add(MediaStream stream) {
        streams.add(stream);
    }

    RelayLink link() {
        return link;
    }

    /** Replaces the link; the old one is closed on the session's loop. */
    void link(RelayLink next) {
        RelayLink old = link;
        link = next;
        if (old != null && old != next) {
            loop.execute(old::close);
        }
    }

    /** A packet from the relay (any transport) for the phone; takes ownership of {@code packet}. */
    void toPhone(int streamId, ByteBuf packet) {
        MediaStream stream = stream(MediaFrames.mediaIndex(streamId));
        boolean rtcp = MediaFrames.isRtcp(streamId);
        InetSocketAddress to = stream == null ? null : stream.phone(rtcp);
        if (to == null) {
            packet.release();
            return;
        }
        toPhone.incrementAndGet();
        lastPacketNanos = System.nanoTime();
        Channel ch = stream.channel(rtcp);
        ch.writeAndFlush(new DatagramPacket(packet, to), ch.voidPromise());
    }

    void close() {
        RelayLink l = link;
        link = null;
        loop.execute(() -> {
            if (l != null) {
                l.close();
            }
            streams.forEach(MediaStream::close);
        });
    }

    /** Reads one LAN socket of a stream: packets from the relay's UDP port go to the phone, the rest up. */
    static final class SocketHandler extends SimpleChannelInboundHandler<DatagramPacket> {

        private final MediaSession session;
        private final int index;
        private final boolean rtcp;

        SocketHandler(MediaSession session, int index, boolean rtcp) {
            super(false);
            this.session = session;
            this.index = index;
            this.rtcp = rtcp;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            MediaStream stream = session.stream(index);
            if (stream == null) {
                packet.release();
                return;
            }
            InetSocketAddress from = packet.sender();
            if (from.equals(stream.relay(rtcp))) {
                session.toPhone(MediaFrames.streamId(index, rtcp), packet.content());
                return;
            }
            stream.latch(rtcp, from);
            RelayLink l = session.link();
            if (l != null) {
                session.toRelay.incrementAndGet();
                session.lastPacketNanos = System.nanoTime();
                l.send(MediaFrames.streamId(index, rtcp), packet.content());
            }
            packet.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a UDP socket stays open on errors (an ICMP unreachable, say): the next packet may pass
        }
    }
}
