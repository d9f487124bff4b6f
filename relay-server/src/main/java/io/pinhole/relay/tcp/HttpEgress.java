package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.pinhole.relay.media.MediaEgress;
import io.pinhole.wire.stream.MediaFrames;

/**
 * One stream of a side reached over HTTP: frames each packet with the stream's id and queues it
 * on the side's {@link HttpSession}, which answers the held long poll on flush. Call's loop only.
 */
final class HttpEgress implements MediaEgress {

    private final HttpSession session;
    private final int rtpStream;

    HttpEgress(HttpSession session, int mediaIndex) {
        this.session = session;
        this.rtpStream = MediaFrames.streamId(mediaIndex, false);
    }

    @Override
    public boolean write(ByteBuf packet, boolean rtcpComponent) {
        try {
            return session.enqueue(StreamFrames.encode(packet.alloc(), rtpStream + (rtcpComponent ? 1 : 0), packet));
        } finally {
            packet.release();
        }
    }

    @Override
    public void flush(long nowNanos) {
        session.deliver();
    }

    @Override
    public String transport() {
        return "http";
    }
}
