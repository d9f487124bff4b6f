package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleStateEvent;
import io.pinhole.relay.stun.UdpSightings;
import io.pinhole.wire.stream.HttpMedia;
import io.pinhole.wire.stream.MediaFrames;
import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP media connection after Netty's HTTP codec and aggregator: checks each whole request
 * ({@link HttpMediaRequest}), validates its frames, and hands it to its session; stops reading
 * until the session has answered, so at most one request per connection is in progress. A
 * {@code /pinhole/udp-seen} question ({@link UdpSeenQuery}) is answered and the connection closed. Every
 * refusal is one log line and a status with the reason, then the connection closes.
 */
final class HttpMediaHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpMediaHandler.class);

    private final HttpSessions sessions;
    private final RequestDeadline deadline;
    private final int maxPacket;
    private final long idleNanos;
    private final UdpSightings sightings;
    private HttpSession session;

    HttpMediaHandler(HttpSessions sessions, RequestDeadline deadline, int maxPacket, long idleNanos,
                     UdpSightings sightings) {
        this.sightings = sightings;
        this.sessions = sessions;
        this.deadline = deadline;
        this.maxPacket = maxPacket;
        this.idleNanos = idleNanos;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        deadline.complete();
        if (req.decoderResult().isFailure()) {
            refuse(ctx, 400, "malformed request: " + req.decoderResult().cause().getMessage());
            return;
        }
        if (HttpMedia.UDP_SEEN_PATH.equals(HttpMediaRequest.path(req.uri())) && session == null) {
            UdpSeenQuery answer = UdpSeenQuery.answer(req.method().name(), req.uri(), sightings::from);
            HttpAnswers.text(ctx.channel(), answer.status(), answer.text());
            return;
        }
        HttpMediaRequest r = HttpMediaRequest.of(req.method().name(), req.uri(),
                req.headers().get(HttpHeaderNames.AUTHORIZATION), req.headers().get(HttpHeaderNames.COOKIE),
                req.content().readableBytes());
        if (!r.accepted()) {
            refuse(ctx, r.status(), r.reason());
            return;
        }
        ByteBuf media = media(req, r);
        if (media != null) {
            String error = framingError(media);
            if (error != null) {
                media.release();
                refuse(ctx, 400, "malformed media: " + error);
                return;
            }
        }
        HttpSession s = sessions.session(r.token(), ctx.channel().eventLoop());
        if (session != null && session != s && !session.isActive()) {
            session.detach(); // its session ended (idle, or the call): the token's next one takes over
            session = null;
        }
        if (session == null) {
            if (!s.attach()) {
                release(media);
                refuse(ctx, 429, "session served over too many connections (tcp-connections-per-call)");
                return;
            }
            session = s;
        } else if (session != s) {
            release(media);
            refuse(ctx, 400, "one call token per connection");
            return;
        }
        ctx.channel().config().setAutoRead(false); // until the session answers
        s.request(ctx.channel(), media, r.poll(), HttpUtil.isKeepAlive(req));
    }

    /** The request's frames, retained; null when it carries none. */
    private static ByteBuf media(FullHttpRequest req, HttpMediaRequest r) {
        if (r.cookie() != null) {
            try {
                return Unpooled.wrappedBuffer(Base64.getUrlDecoder().decode(r.cookie()));
            } catch (IllegalArgumentException e) {
                return Unpooled.buffer(0).writeByte(0); // not base64url: refused below as broken framing
            }
        }
        return req.content().isReadable() ? req.content().retainedSlice() : null;
    }

    /** Whether the bytes are whole frames of at most the largest packet; null when they are. */
    private String framingError(ByteBuf media) {
        int i = media.readerIndex();
        int end = media.writerIndex();
        while (i < end) {
            if (end - i < 2) {
                return "truncated frame header";
            }
            int length = media.getUnsignedShort(i);
            String error = MediaFrames.lengthError(length, maxPacket);
            if (error != null) {
                return error;
            }
            if (end - i - 2 < length) {
                return "truncated frame";
            }
            i += 2 + length;
        }
        return null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            session.detach();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            log.info("http media connection from {} closed: nothing received for {} ms (idle timeout)",
                    ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(idleNanos));
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("http media connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.info("http media connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    private static void refuse(ChannelHandlerContext ctx, int status, String reason) {
        log.info("http media connection from {} closed: {} {}", ctx.channel().remoteAddress(), status, reason);
        HttpAnswers.refuse(ctx.channel(), status, reason);
    }

    private static void release(ByteBuf b) {
        if (b != null) {
            b.release();
        }
    }
}
