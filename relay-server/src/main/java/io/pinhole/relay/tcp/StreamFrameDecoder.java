package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.pinhole.wire.stream.MediaFrames;
import java.util.List;

/**
 * Splits a media connection's bytes into frames ({@link MediaFrames}): each out as a retained slice of the input
 * (no copy) holding the stream id and the packet. A length of 0 (no room for the stream id) or
 * above the largest packet the relay forwards is a framing error: the connection cannot be
 * resynchronised, so it is closed ({@link StreamFramingException}). Buffers at most one frame.
 */
final class StreamFrameDecoder extends ByteToMessageDecoder {

    private final int maxPacket;

    /** @param maxPacket the largest RTP/RTCP packet accepted (the relay's max datagram size) */
    StreamFrameDecoder(int maxPacket) {
        this.maxPacket = maxPacket;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 2) {
            return;
        }
        int length = in.getUnsignedShort(in.readerIndex());
        String error = MediaFrames.lengthError(length, maxPacket);
        if (error != null) {
            in.skipBytes(in.readableBytes()); // nothing after a broken header is a frame: decode no more of it
            throw new StreamFramingException(error);
        }
        if (in.readableBytes() < 2 + length) {
            return;
        }
        in.skipBytes(2);
        out.add(in.readRetainedSlice(length));
    }
}
