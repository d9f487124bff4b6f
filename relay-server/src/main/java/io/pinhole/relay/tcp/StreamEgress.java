package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.pinhole.relay.media.MediaEgress;
import io.pinhole.wire.stream.MediaFrames;

/**
 * One stream of a side reached over a TCP/TLS connection: frames each packet with the stream's id
 * (RTCP on the odd id) and writes it to the connection. When the connection is not writable (the
 * phone stopped reading, or its path is slower than the media) the packet is dropped instead of
 * queued, so what waits for a slow phone is bounded by the connection's write-buffer high-water
 * mark and its socket buffer ({@link StreamServer}), and late audio gives way to fresh audio as it
 * would over UDP.
 *
 * <p>Runs on the call's loop, which may not be the connection's: Netty then hands each write to the
 * connection's loop and counts it against the high-water mark at once.
 */
final class StreamEgress implements MediaEgress {

    private final Channel connection;
    private final int rtpStream;
    private final String transport;
    private boolean pending;

    StreamEgress(Channel connection, int mediaIndex, String transport) {
        this.connection = connection;
        this.rtpStream = MediaFrames.streamId(mediaIndex, false);
        this.transport = transport;
    }

    @Override
    public boolean write(ByteBuf packet, boolean rtcpComponent) {
        try {
            if (!connection.isWritable()) {
                return false;
            }
            connection.write(StreamFrames.encode(connection.alloc(), rtpStream + (rtcpComponent ? 1 : 0), packet),
                    connection.voidPromise());
            pending = true;
            return true;
        } finally {
            packet.release();
        }
    }

    @Override
    public void flush(long nowNanos) {
        if (pending) {
            pending = false;
            connection.flush();
        }
    }

    @Override
    public String transport() {
        return transport;
    }
}
