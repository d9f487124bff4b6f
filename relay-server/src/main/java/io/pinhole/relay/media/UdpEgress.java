package io.pinhole.relay.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * A side reached over its own UDP ports: re-addresses the packet to the side's latched (or SDP)
 * address and sends it from the port that side sends to, RTCP from the RTCP port unless muxed.
 * The only allocation is the {@link DatagramPacket} wrapper. Flushing also records when the relay
 * last sent on each port, which the keepalive clock reads.
 */
final class UdpEgress implements MediaEgress {

    private final Endpoint side;
    private boolean rtpPending;
    private boolean rtcpPending;

    UdpEgress(Endpoint side) {
        this.side = side;
    }

    @Override
    public boolean write(ByteBuf packet, boolean rtcpComponent) {
        InetSocketAddress to = side.destination(rtcpComponent);
        Channel channel = side.outChannel(rtcpComponent);
        if (to == null || channel == null || !channel.isWritable()) {
            packet.release();
            return false;
        }
        channel.write(new DatagramPacket(packet, to), channel.voidPromise());
        if (channel == side.rtpChannel()) {
            rtpPending = true;
        } else {
            rtcpPending = true;
        }
        return true;
    }

    @Override
    public void flush(long nowNanos) {
        if (rtpPending) {
            rtpPending = false;
            side.rtpChannel().flush();
            side.rtpOutNanos = nowNanos;
        }
        if (rtcpPending) {
            rtcpPending = false;
            side.rtcpChannel().flush();
            side.rtcpOutNanos = nowNanos;
        }
    }

    @Override
    public String transport() {
        return "udp";
    }
}
