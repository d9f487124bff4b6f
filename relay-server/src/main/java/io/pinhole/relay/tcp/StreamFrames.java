package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The frame layout on a media connection: RFC 4571's 16-bit length, then a one-byte stream id and
 * the packet. Stream id {@code 2i} is the RTP of the call's i-th m= line (0-based), {@code 2i+1}
 * its RTCP, {@value #CONTROL} a control frame (hello, OK, error, heartbeat).
 */
final class StreamFrames {

    /** The stream id of control frames. */
    static final int CONTROL = 255;
    /** Length field plus stream id. */
    static final int HEADER = 3;
    /** Highest media index a stream id can name. */
    static final int MAX_MEDIA_INDEX = (CONTROL - 1) / 2;

    private StreamFrames() {
    }

    static int streamId(int mediaIndex, boolean rtcp) {
        return mediaIndex * 2 + (rtcp ? 1 : 0);
    }

    /** One frame carrying {@code payload}, which this reads but does not release. */
    static ByteBuf encode(ByteBufAllocator alloc, int streamId, ByteBuf payload) {
        int length = payload.readableBytes();
        ByteBuf frame = alloc.buffer(HEADER + length);
        frame.writeShort(length + 1).writeByte(streamId).writeBytes(payload, payload.readerIndex(), length);
        return frame;
    }

    /** A control frame with an ASCII text (empty for a heartbeat). */
    static ByteBuf control(ByteBufAllocator alloc, String text) {
        ByteBuf frame = alloc.buffer(HEADER + text.length());
        frame.writeShort(text.length() + 1).writeByte(CONTROL);
        for (int i = 0; i < text.length(); i++) {
            frame.writeByte(text.charAt(i));
        }
        return frame;
    }
}
