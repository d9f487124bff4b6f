package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.pinhole.wire.stream.HttpMedia;
import java.nio.charset.StandardCharsets;

/**
 * The responses of the HTTP media port. Each one ends its request: the connection reads its next
 * request only then (at most one request in progress per connection), or is closed after it.
 */
final class HttpAnswers {

    private HttpAnswers() {
    }

    /** 200 with the frames in {@code body} (released by the write), kept alive when the client asked. */
    static void media(Channel ch, ByteBuf body, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpMedia.CONTENT_TYPE)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE); // a proxy must not answer a poll
        send(ch, r, keepAlive);
    }

    /** An error status with the reason as text; the connection closes after it. */
    static void refuse(Channel ch, int status, String reason) {
        text(ch, status, reason);
    }

    /** A status with a line of text; the connection closes after it. */
    static void text(Channel ch, int status, String reason) {
        ByteBuf text = Unpooled.copiedBuffer(reason + "\n", StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                text);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        send(ch, r, false);
    }

    private static void send(Channel ch, FullHttpResponse r, boolean keepAlive) {
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ch.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ch.writeAndFlush(r, ch.voidPromise());
        ch.config().setAutoRead(true); // the next request may come now
    }
}
