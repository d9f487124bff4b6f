package io.pinhole.edge.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import io.pinhole.wire.stream.MediaFrames;
import java.net.InetSocketAddress;

/** Media over plain UDP: each stream's packets go from its own socket to the relay's port. */
final class UdpRelayLink implements RelayLink {

    private final MediaSession session;
    private final String relayHost;

    UdpRelayLink(MediaSession session, String relayHost) {
        this.session = session;
        this.relayHost = relayHost;
    }

    @Override
    public void send(int streamId, ByteBuf packet) {
        MediaStream stream = session.stream(MediaFrames.mediaIndex(streamId));
        if (stream == null) {
            return;
        }
        boolean rtcp = MediaFrames.isRtcp(streamId);
        InetSocketAddress to = stream.relay(rtcp);
        if (to != null) {
            stream.channel(rtcp).writeAndFlush(new DatagramPacket(packet.retain(), to), stream.channel(rtcp).voidPromise());
        }
    }

    @Override
    public void close() {
        // the stream sockets belong to the session
    }

    @Override
    public String describe() {
        return "UDP to relay " + relayHost;
    }
}
