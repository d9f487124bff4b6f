package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pinhole.wire.stream.MediaFrames;

/**
 * Frames of the media connection format ({@link MediaFrames}, in {@code wire}) written into Netty
 * buffers from the channel's allocator.
 */
final class StreamFrames {

    private StreamFrames() {
    }

    /** One frame carrying {@code payload}, which this reads but does not release. */
    static ByteBuf encode(ByteBufAllocator alloc, int streamId, ByteBuf payload) {
        int length = payload.readableBytes();
        ByteBuf frame = alloc.buffer(MediaFrames.HEADER + length);
        frame.writeShort(length + 1).writeByte(streamId).writeBytes(payload, payload.readerIndex(), length);
        return frame;
    }

    /** A control frame with an ASCII text (empty for a heartbeat). */
    static ByteBuf control(ByteBufAllocator alloc, String text) {
        ByteBuf frame = alloc.buffer(MediaFrames.HEADER + text.length());
        frame.writeShort(text.length() + 1).writeByte(MediaFrames.CONTROL);
        for (int i = 0; i < text.length(); i++) {
            frame.writeByte(text.charAt(i));
        }
        return frame;
    }
}
