package io.pinhole.edge.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.pinhole.wire.stream.HttpMedia;
import io.pinhole.wire.stream.MediaFrames;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media over HTTP per README "Media over HTTP": two keep-alive connections, one that always has a
 * long-poll GET outstanding (its response bodies carry the relay's frames), one that POSTs the
 * phone's packets, at most one request outstanding each; packets that arrive while a POST is out
 * wait for the next one (at most {@value #MAX_PENDING}, a second of G.711, the oldest dropped beyond,
 * as UDP would). Through a forward proxy the requests use the absolute form and go to the proxy.
 * A connection the proxy or relay closes after an answer is opened again at once (tinyproxy, for
 * one, closes its client connection after every request, even when the answer says keep-alive); a
 * POST written on such a connection just before it closed is sent again on the next one. A
 * connection closed before any answer is retried after a second, so a refusing path does not spin.
 * A request left unanswered past its bound ({@link HttpStallWatch}) breaks the link: a path that
 * forgot the connection without a reset would otherwise leave the call silent for ever.
 */
final class HttpRelayLink implements RelayLink {

    private static final Logger log = LoggerFactory.getLogger(HttpRelayLink.class);
    private static final int MAX_PENDING = 50;
    private static final int MAX_PACKET = 4096;
    private static final AttributeKey<Boolean> ANSWERED = AttributeKey.valueOf("pinhole-http-answered");
    /** Set on the connections a broken link drops: their closing is expected and opens nothing. */
    private static final AttributeKey<Boolean> RETIRED = AttributeKey.valueOf("pinhole-http-retired");
    /** How often the outstanding requests are checked against their bounds: a timer per link, not per request. */
    private static final long CHECK_MILLIS = 500;

    private final MediaSession session;
    private final String host;
    private final int port;
    private final String token;
    private final InetSocketAddress proxy;
    private final Consumer<String> pathBroken;
    private final String uri;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private final HttpStallWatch watch;
    private ScheduledFuture<?> checker;
    private Channel poll;
    private Channel post;
    private boolean postOutstanding;
    /** The body of the POST awaiting its answer: sent again on a new connection if its own closes first. */
    private ByteBuf inFlight;
    private boolean bound;
    private volatile boolean closed;
    private int failures;
    /** Counts the link's starts over: a reopen scheduled before the last one opens nothing. */
    private int epoch;

    /** @param proxy the forward HTTP proxy, or null for a direct connection */
    HttpRelayLink(MediaSession session, String host, int port, String token, InetSocketAddress proxy,
                  Consumer<String> pathBroken) {
        this(session, host, port, token, proxy, pathBroken, HttpTimeouts.DEFAULTS);
    }

    HttpRelayLink(MediaSession session, String host, int port, String token, InetSocketAddress proxy,
                  Consumer<String> pathBroken, HttpTimeouts timeouts) {
        this.watch = new HttpStallWatch(timeouts);
        this.session = session;
        this.host = host;
        this.port = port;
        this.token = token;
        this.proxy = proxy;
        this.pathBroken = pathBroken;
        this.uri = proxy == null ? HttpMedia.PATH : "http://" + host + ":" + port + HttpMedia.PATH;
    }

    void start() {
        session.loop.execute(() -> poll = open(true));
        checker = session.loop.scheduleAtFixedRate(this::checkStall, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void checkStall() {
        String why = closed ? null : watch.overdue(System.nanoTime());
        if (why != null) {
            broken(why);
        }
    }

    String token() {
        return token;
    }

    private Channel open(boolean polling) {
        Bootstrap b = new Bootstrap().group(session.loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new ResponseHandler(polling));
                        ch.attr(ANSWERED).set(Boolean.FALSE);
                    }
                });
        var f = proxy != null ? b.connect(proxy) : b.connect(host, port);
        f.addListener(done -> {
            if (Boolean.TRUE.equals(f.channel().attr(RETIRED).get())) {
                return;
            }
            if (done.isSuccess()) {
                if (polling) {
                    sendPoll();
                } else {
                    postOutstanding = false;
                    flushPending();
                }
            } else {
                broken("cannot connect" + (proxy != null ? " through " + proxy : "") + ": " + done.cause().getMessage());
            }
        });
        f.channel().closeFuture().addListener(c -> {
            if (closed || !f.isSuccess() || Boolean.TRUE.equals(f.channel().attr(RETIRED).get())) {
                return;
            }
            watch.forget(polling);
            // a proxy or the relay closed a keep-alive connection: open another, the session lives on
            boolean answered = Boolean.TRUE.equals(f.channel().attr(ANSWERED).get());
            int e = epoch;
            session.loop.schedule(() -> {
                if (e == epoch) {
                    reopen(polling);
                }
            }, answered ? 0 : 1000, TimeUnit.MILLISECONDS);
        });
        return f.channel();
    }

    private void reopen(boolean polling) {
        if (closed) {
            return;
        }
        if (polling) {
            poll = open(true);
        } else {
            if (inFlight != null) {
                // unanswered: a proxy that closes after each answer (tinyproxy does, whatever its headers
                // say) dropped it; its frames go first on the new connection
                pending.addFirst(inFlight);
                inFlight = null;
            }
            postOutstanding = false;
            post = open(false);
        }
    }

    /** The link as a whole is broken: both connections go, and after a second it starts over with a poll. */
    private void broken(String why) {
        if (closed) {
            return;
        }
        retire(poll);
        retire(post);
        poll = null;
        post = null;
        postOutstanding = false;
        if (inFlight != null) {
            inFlight.release(); // seconds old by now: late audio is worse than none
            inFlight = null;
        }
        watch.restart();
        int e = ++epoch;
        failures++;
        log.warn("Call {}: media link {} broke ({}); retrying in 1 s", session.callId, describe(), why);
        if (failures == 1) {
            pathBroken.accept(describe() + " " + why);
        }
        if (failures <= 30) {
            session.loop.schedule(() -> {
                if (!closed && e == epoch) {
                    poll = open(true);
                }
            }, 1, TimeUnit.SECONDS);
        }
    }

    private static void retire(Channel ch) {
        if (ch != null) {
            ch.attr(RETIRED).set(Boolean.TRUE);
            ch.close();
        }
    }

    private FullHttpRequest request(HttpMethod method, ByteBuf body) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, body);
        r.headers().set(HttpHeaderNames.HOST, host + ":" + port)
                .set(HttpHeaderNames.AUTHORIZATION, HttpMedia.BEARER + token)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (body.isReadable()) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpMedia.CONTENT_TYPE);
        }
        return r;
    }

    private void sendPoll() {
        Channel ch = poll;
        if (!closed && ch != null && ch.isActive()) {
            ch.writeAndFlush(request(HttpMethod.GET, ch.alloc().buffer(0)), ch.voidPromise());
            watch.pollSent(System.nanoTime());
        }
    }

    @Override
    public void send(int streamId, ByteBuf packet) {
        if (!bound || closed) {
            return;
        }
        int n = packet.readableBytes();
        if (pending.size() >= MAX_PENDING) {
            pending.poll().release();
        }
        ByteBuf frame = packet.alloc().buffer(MediaFrames.HEADER + n);
        frame.writeShort(n + 1).writeByte(streamId).writeBytes(packet, packet.readerIndex(), n);
        pending.add(frame);
        flushPending();
    }

    private void flushPending() {
        Channel ch = post;
        if (postOutstanding || pending.isEmpty() || ch == null || !ch.isActive()) {
            return;
        }
        // A backlog (the last POST's answer came late) goes out in bodies the relay accepts: the
        // first frames now, the rest with the next POST.
        int size = 0;
        int frames = 0;
        for (ByteBuf b : pending) {
            if (frames > 0 && size + b.readableBytes() > HttpMedia.MAX_REQUEST_BODY) {
                break;
            }
            size += b.readableBytes();
            frames++;
        }
        ByteBuf body = ch.alloc().buffer(size);
        for (int i = 0; i < frames; i++) {
            ByteBuf b = pending.poll();
            body.writeBytes(b);
            b.release();
        }
        postOutstanding = true;
        inFlight = body.retainedDuplicate();
        ch.writeAndFlush(request(HttpMethod.POST, body), ch.voidPromise());
        watch.postSent(System.nanoTime());
    }

    @Override
    public void close() {
        closed = true;
        if (checker != null) {
            checker.cancel(false);
        }
        session.loop.execute(() -> {
            ByteBuf b;
            while ((b = pending.poll()) != null) {
                b.release();
            }
            if (inFlight != null) {
                inFlight.release();
                inFlight = null;
            }
            if (poll != null) {
                poll.close();
            }
            if (post != null) {
                post.close();
            }
        });
    }

    @Override
    public String describe() {
        return "HTTP to relay " + host + ":" + port + (proxy != null ? " through the HTTP proxy "
                + proxy.getHostString() + ":" + proxy.getPort() : "");
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

        private final boolean polling;

        ResponseHandler(boolean polling) {
            this.polling = polling;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (Boolean.TRUE.equals(ctx.channel().attr(RETIRED).get())) {
                return; // a connection of the link before it broke
            }
            int status = response.status().code();
            ctx.channel().attr(ANSWERED).set(Boolean.TRUE);
            if (polling) {
                watch.pollAnswered(System.nanoTime(), !response.content().isReadable());
            } else {
                watch.postAnswered();
            }
            if (status != 200) {
                log.warn("Call {}: the relay answered {} {} over {}: {}", session.callId, status,
                        response.status().reasonPhrase(), describe(),
                        response.content().toString(java.nio.charset.StandardCharsets.UTF_8).strip());
                if (status == 403 || status == 410 || status == 404) {
                    closed = true; // the token is refused or the call ended: no retry
                }
                if (!polling && inFlight != null) {
                    // the relay read and refused it: sent again it would be refused again, forever
                    inFlight.release();
                    inFlight = null;
                }
                ctx.close();
                return;
            }
            deliver(response.content());
            if (polling) {
                if (!bound || failures > 0) {
                    log.info("Call {}: media over {}{}", session.callId, describe(), bound ? " again" : "");
                }
                bound = true;
                failures = 0;
                if (post == null) {
                    post = open(false);
                }
                sendPoll();
            } else {
                if (inFlight != null) {
                    inFlight.release();
                    inFlight = null;
                }
                postOutstanding = false;
                flushPending();
            }
        }

        private void deliver(ByteBuf body) {
            while (body.readableBytes() >= MediaFrames.HEADER) {
                int length = body.getUnsignedShort(body.readerIndex());
                if (MediaFrames.lengthError(length, MAX_PACKET) != null || body.readableBytes() < 2 + length) {
                    log.warn("Call {}: malformed frames from {}; rest of the body dropped", session.callId, describe());
                    return;
                }
                body.skipBytes(2);
                int streamId = body.readUnsignedByte();
                if (streamId == MediaFrames.CONTROL) {
                    body.skipBytes(length - 1);
                } else {
                    session.toPhone(streamId, body.readRetainedSlice(length - 1));
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("Call {}: media link {} failed: {}", session.callId, describe(), cause.getMessage());
            ctx.close();
        }
    }
}
