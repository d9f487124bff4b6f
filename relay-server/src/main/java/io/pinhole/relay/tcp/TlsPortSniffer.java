package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.Supplier;

/**
 * On the TLS port, tells HTTP from the RFC 4571 frames by the first byte inside TLS: the first
 * frame is the hello, at most {@code MediaFrames.MAX_TOKEN} + 1 bytes, so its length's high byte
 * is 0, while every HTTP request starts with its method in capital letters. Anything else goes to
 * the frame decoder, which refuses it as it refuses any other bad hello. HTTP replaces the frame decoder and the
 * stream session with the HTTP handlers; either way this handler then leaves the pipeline, handing
 * on what it read.
 */
final class TlsPortSniffer extends ByteToMessageDecoder {

    private final Supplier<ChannelHandler[]> http;

    /** @param http the HTTP handlers, made for this connection */
    TlsPortSniffer(Supplier<ChannelHandler[]> http) {
        this.http = http;
    }

    static boolean isHttp(int firstByte) {
        return firstByte >= 'A' && firstByte <= 'Z';
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        if (isHttp(in.getUnsignedByte(in.readerIndex()))) {
            p.remove(StreamFrameDecoder.class);
            p.remove(StreamSession.class);
            String after = ctx.name();
            ChannelHandler[] handlers = http.get();
            for (int i = handlers.length - 1; i >= 0; i--) {
                p.addAfter(after, null, handlers[i]);
            }
        }
        p.remove(this);
    }
}
