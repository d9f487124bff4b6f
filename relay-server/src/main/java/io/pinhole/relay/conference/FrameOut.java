package io.pinhole.relay.conference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * Sends one party's mixed frames from its own RTP socket (symmetric RTP). One direct buffer and
 * one datagram wrapper are made per party and reused every tick: the buffer is retained for each
 * write and the channel releases that reference once the datagram is out, so the frame path
 * allocates nothing. A frame whose previous write is still queued (the socket was not writable
 * for a whole tick) is skipped and counted rather than overwriting bytes in flight.
 * Confined to the conference loop, which is also the channel's loop.
 */
final class FrameOut {

    static final int HEADER = 12;

    private final Channel channel;
    private final ByteBuf frame = Unpooled.directBuffer(HEADER + JitterBuffer.FRAME_BYTES);
    private DatagramPacket packet;
    private InetSocketAddress packetTo;
    private long skipped;

    FrameOut(Channel channel) {
        this.channel = channel;
    }

    /** @return false when the frame was skipped (previous one still queued) */
    boolean send(InetSocketAddress to, int payloadType, int seq, int timestamp, int ssrc, byte[] payload) {
        if (frame.refCnt() > 1) {
            skipped++;
            return false;
        }
        frame.setByte(0, 0x80);
        frame.setByte(1, payloadType);
        frame.setShort(2, seq);
        frame.setInt(4, timestamp);
        frame.setInt(8, ssrc);
        frame.setBytes(HEADER, payload, 0, JitterBuffer.FRAME_BYTES);
        frame.setIndex(0, HEADER + JitterBuffer.FRAME_BYTES);
        if (packet == null || !to.equals(packetTo)) {
            packet = new DatagramPacket(frame, to); // the latched address changed: rare
            packetTo = to;
        }
        frame.retain();
        channel.writeAndFlush(packet, channel.voidPromise());
        return true;
    }

    long skipped() {
        return skipped;
    }

    /** Conference loop, after the party left the mix: our own reference goes. */
    void release() {
        frame.release();
    }
}
