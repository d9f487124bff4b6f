package io.pinhole.edge.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.pinhole.wire.stream.MediaFrames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media over one TCP (or TLS) connection to the relay in the README's RFC 4571 framing: the hello
 * with the call token, then frames both ways, an empty control frame every 10 s so the relay's
 * idle timeout never closes a quiet call. A connection that breaks while the call lives is opened
 * again after a second (the token stays valid while the call lives), and the agent is told, so it
 * can probe again. The relay answers every heartbeat, so a connection that has brought nothing for
 * {@value #SILENT_HEARTBEATS} heartbeats is taken as broken too: a firewall or NAT that forgot it drops
 * its packets without a reset, and TCP alone would go on retransmitting into it for many minutes.
 * Likewise a connection without the relay's {@code OK} to its hello {@link #HELLO_TIMEOUT} after it
 * was made (a TLS handshake that never ends included) is broken: the relay answers a hello at once,
 * and media sent before its OK would be dropped anyway.
 */
final class StreamRelayLink implements RelayLink {

    private static final Logger log = LoggerFactory.getLogger(StreamRelayLink.class);
    private static final int HEARTBEAT_SECONDS = 10;
    /** Heartbeat intervals without a single frame from the relay that make a connection dead. */
    static final int SILENT_HEARTBEATS = 3;
    private static final long SILENT_NANOS = TimeUnit.SECONDS.toNanos((long) SILENT_HEARTBEATS * HEARTBEAT_SECONDS);
    /** Above the relay's own bound for receiving the hello (tcp-hello-timeout, 2 s by default). */
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(5);

    private final MediaSession session;
    private final String host;
    private final int port;
    private final String token;
    private final SslContext tls;
    private final Consumer<String> pathBroken;
    private final Duration helloTimeout;
    private volatile Channel channel;
    private volatile boolean ready;
    private volatile boolean closed;
    /** When the current connection last brought a frame (System.nanoTime). */
    private volatile long lastRead;
    /** Why the agent itself closes the current connection, for the log line; null: the peer or the network did. */
    private volatile String closing;
    private ScheduledFuture<?> heartbeat;
    private int failures;

    /** @param tls null for plain TCP */
    StreamRelayLink(MediaSession session, String host, int port, String token, SslContext tls,
                    Consumer<String> pathBroken) {
        this(session, host, port, token, tls, pathBroken, HELLO_TIMEOUT);
    }

    StreamRelayLink(MediaSession session, String host, int port, String token, SslContext tls,
                    Consumer<String> pathBroken, Duration helloTimeout) {
        this.helloTimeout = helloTimeout;
        this.session = session;
        this.host = host;
        this.port = port;
        this.token = token;
        this.tls = tls;
        this.pathBroken = pathBroken;
    }

    void start() {
        session.loop.execute(this::connect);
        heartbeat = session.loop.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    String token() {
        return token;
    }

    private void connect() {
        if (closed) {
            return;
        }
        closing = null;
        Bootstrap b = new Bootstrap().group(session.loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(0xFFFF + 2, 0, 2, 0, 2),
                                new FrameHandler());
                    }
                });
        ChannelFuture f = b.connect(host, port);
        channel = f.channel();
        f.addListener(done -> {
            if (done.isSuccess()) {
                byte[] hello = MediaFrames.hello(token);
                f.channel().writeAndFlush(f.channel().alloc().buffer(hello.length).writeBytes(hello));
                f.channel().eventLoop().schedule(() -> helloUnanswered(f.channel()), helloTimeout.toMillis(),
                        TimeUnit.MILLISECONDS);
            } else {
                broken("cannot connect: " + done.cause().getMessage());
            }
        });
        f.channel().closeFuture().addListener(c -> {
            ready = false;
            if (!closed && f.isSuccess()) {
                broken(closing != null ? closing : "connection closed");
            }
        });
    }

    private void helloUnanswered(Channel ch) {
        if (!ready && ch == channel && ch.isActive()) {
            closing = "no OK to its hello within " + helloTimeout.toMillis() + " ms of connecting"
                    + (tls != null ? ", TLS handshake included" : "");
            ch.close();
        }
    }

    private void broken(String why) {
        if (closed) {
            return;
        }
        failures++;
        log.warn("Call {}: media link {} broke ({}); reconnecting in 1 s", session.callId, describe(), why);
        if (failures == 1) {
            pathBroken.accept(describe() + " " + why);
        }
        if (failures <= 30) {
            session.loop.schedule(this::connect, 1, TimeUnit.SECONDS);
        }
    }

    private void heartbeat() {
        Channel ch = channel;
        if (ready && ch != null && ch.isActive()) {
            if (System.nanoTime() - lastRead > SILENT_NANOS) {
                closing = "nothing from the relay for " + SILENT_HEARTBEATS * HEARTBEAT_SECONDS
                        + " s, not even a heartbeat answer";
                ch.close();
                return;
            }
            ch.writeAndFlush(ch.alloc().buffer(3).writeShort(1).writeByte(MediaFrames.CONTROL), ch.voidPromise());
        }
    }

    @Override
    public void send(int streamId, ByteBuf packet) {
        Channel ch = channel;
        if (!ready || ch == null || !ch.isWritable()) {
            return; // before OK, or a peer that stopped reading: dropped, as UDP would
        }
        int n = packet.readableBytes();
        ByteBuf frame = ch.alloc().buffer(MediaFrames.HEADER + n);
        frame.writeShort(n + 1).writeByte(streamId).writeBytes(packet, packet.readerIndex(), n);
        ch.writeAndFlush(frame, ch.voidPromise());
    }

    @Override
    public void close() {
        closed = true;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public String describe() {
        return (tls != null ? "TLS" : "TCP") + " to relay " + host + ":" + port;
    }

    private final class FrameHandler extends SimpleChannelInboundHandler<ByteBuf> {

        FrameHandler() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            lastRead = System.nanoTime();
            int streamId = frame.readUnsignedByte();
            if (streamId != MediaFrames.CONTROL) {
                session.toPhone(streamId, frame);
                return;
            }
            String text = frame.toString(StandardCharsets.US_ASCII);
            frame.release();
            if (text.isEmpty()) {
                return; // heartbeat answer
            }
            if (MediaFrames.OK.equals(text)) {
                if (!ready) {
                    ready = true;
                    failures = 0;
                    log.info("Call {}: media over {}", session.callId, describe());
                }
            } else {
                log.warn("Call {}: the relay refused the media link {}: {}", session.callId, describe(), text);
                closed = true; // a refused token stays refused: no reconnect
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("Call {}: media link {} failed: {}", session.callId, describe(), cause.getMessage());
            ctx.close();
        }
    }
}
