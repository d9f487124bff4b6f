package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.pinhole.relay.media.Endpoint;
import io.pinhole.wire.stream.MediaFrames;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media connection, from hello to close: the first frame must be a hello with a call token
 * within the hello timeout, or the connection is closed; once bound, media frames go to their
 * stream's endpoint on the call's loop, batched per read, and control frames are heartbeats
 * (answered with one). Every close for a cause the peer gave (no hello, unknown token, caps,
 * broken framing, idle, TLS failure) is one log line naming the cause; nothing is logged per
 * packet. Frames of a stream the call does not have are dropped.
 */
final class StreamSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(StreamSession.class);

    private enum State { HELLO, BINDING, BOUND }

    private final StreamBinder binder;
    private final String transport;
    private final long helloTimeoutNanos;
    private final long idleTimeoutNanos;
    private State state = State.HELLO;
    private ScheduledFuture<?> helloTimer;
    private EventLoop callLoop;
    private Endpoint[] endpoints = new Endpoint[0];
    private String callId;
    private ForwardBatch batch;
    private boolean logged;

    StreamSession(StreamBinder binder, String transport, StreamLimits limits) {
        this.binder = binder;
        this.transport = transport;
        this.helloTimeoutNanos = limits.helloTimeoutNanos();
        this.idleTimeoutNanos = limits.idleTimeoutNanos();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        helloTimer = ctx.executor().schedule(() -> {
            if (state != State.BOUND) {
                close(ctx, "no valid hello within " + TimeUnit.NANOSECONDS.toMillis(helloTimeoutNanos) + " ms");
            }
        }, helloTimeoutNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int stream = frame.readUnsignedByte();
        switch (state) {
            case BOUND -> media(ctx, stream, frame);
            case HELLO -> hello(ctx, stream, frame);
            case BINDING -> frame.release(); // sent before our OK: the client was told to wait for it
        }
    }

    private void hello(ChannelHandlerContext ctx, int stream, ByteBuf frame) {
        String token = Hello.token(stream, frame);
        frame.release();
        if (token == null) {
            refuse(ctx, stream == MediaFrames.CONTROL ? "malformed hello" : "media before hello");
            return;
        }
        state = State.BINDING;
        binder.bind(token, new ChannelLink(ctx.channel(), transport), new StreamBinder.Outcome() {
            @Override
            public void carries(int mediaIndex, Endpoint endpoint) {
                if (mediaIndex >= endpoints.length) {
                    endpoints = Arrays.copyOf(endpoints, mediaIndex + 1);
                }
                endpoints[mediaIndex] = endpoint;
            }

            @Override
            public void bound(EventLoop loop, String id) {
                StreamSession.this.bound(ctx, loop, id);
            }

            @Override
            public void refused(String reason) {
                refuse(ctx, reason);
            }
        });
    }

    private void bound(ChannelHandlerContext ctx, EventLoop loop, String id) {
        if (!ctx.channel().isActive()) {
            return;
        }
        callLoop = loop;
        callId = id;
        state = State.BOUND;
        helloTimer.cancel(false);
        ctx.writeAndFlush(StreamFrames.control(ctx.alloc(), "OK"), ctx.voidPromise());
        log.debug("{} media connection from {} bound to call {}", transport, ctx.channel().remoteAddress(), id);
    }

    private void media(ChannelHandlerContext ctx, int stream, ByteBuf frame) {
        if (stream == MediaFrames.CONTROL) {
            if (!frame.isReadable() && ctx.channel().isWritable()) {
                ctx.write(StreamFrames.control(ctx.alloc(), ""), ctx.voidPromise()); // heartbeat answered
            }
            frame.release();
            return;
        }
        int index = stream >> 1;
        Endpoint e = index < endpoints.length ? endpoints[index] : null;
        if (e == null || !frame.isReadable()) {
            frame.release();
            return;
        }
        if (batch == null) {
            batch = new ForwardBatch();
        }
        batch.add(e, (stream & 1) == 1, frame);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // heartbeat answers, if any
        ForwardBatch b = batch;
        if (b == null) {
            return;
        }
        batch = null;
        if (callLoop.inEventLoop()) {
            b.run();
        } else {
            callLoop.execute(b);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            close(ctx, "nothing received for " + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) + " ms (idle timeout)");
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            // the SslHandler closes the connection itself; this names why
            log(ctx, "TLS handshake failed: " + handshake.cause().getMessage());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof StreamFramingException) {
            close(ctx, cause.getMessage());
        } else if (cause instanceof DecoderException && (cause.getCause() instanceof SSLException
                || cause.getCause() instanceof NotSslRecordException)) {
            close(ctx, "TLS: " + cause.getCause().getMessage());
        } else if (cause instanceof IOException) {
            log.debug("{} media connection from {}: {}", transport, ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            close(ctx, cause.toString());
        }
    }

    /** Taken out of a TLS connection that turned out to speak HTTP: its hello timer goes too. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (helloTimer != null) {
            helloTimer.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (helloTimer != null) {
            helloTimer.cancel(false);
        }
        if (batch != null) {
            batch.release();
            batch = null;
        }
        ctx.fireChannelInactive();
    }

    /** Tells the client why (a control frame "ERR reason"), then closes. */
    private void refuse(ChannelHandlerContext ctx, String reason) {
        log(ctx, reason);
        ctx.writeAndFlush(StreamFrames.control(ctx.alloc(), "ERR " + reason))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void close(ChannelHandlerContext ctx, String reason) {
        if (ctx.channel().isActive()) {
            log(ctx, reason);
        }
        ctx.close();
    }

    /** One line per connection, for the first cause (TLS reports a failure both as an event and an error). */
    private void log(ChannelHandlerContext ctx, String reason) {
        if (logged) {
            return;
        }
        logged = true;
        SocketAddress peer = ctx.channel().remoteAddress();
        if (callId == null) {
            log.info("{} media connection from {} closed: {}", transport, peer, reason);
        } else {
            log.info("{} media connection from {} (call {}) closed: {}", transport, peer, callId, reason);
        }
    }
}
