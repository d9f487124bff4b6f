package io.pinhole.edge.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.pinhole.edge.sip.Hop;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one connection to the proxy, SIP over TLS or TCP. RFC 5626 CRLFCRLF keepalives
 * every {@value #KEEPALIVE_SECONDS} s; once the proxy has answered one with CRLF, a ping left
 * unanswered for {@value #PONG_SECONDS} s means the connection is dead. A dead or refused
 * connection is opened again after a back-off of 1 s doubling to 60 s, jittered (half to all of
 * it) so many agents behind one outage do not come back at once; it resets once a connection is
 * up. With a forward HTTP proxy the connection is a CONNECT tunnel through it ({@link HttpConnect}):
 * a strict firewall may let nothing else out. A connection that fails before it is up switches
 * between the tunnel and a direct connection for the next try (a proxy may refuse CONNECT to the
 * proxy's port, a firewall may drop direct connections); the way that worked is kept. Everything
 * runs on the SIP event loop.
 */
public final class UpstreamLink {

    private static final Logger log = LoggerFactory.getLogger(UpstreamLink.class);
    static final int KEEPALIVE_SECONDS = 30;
    static final int PONG_SECONDS = 10;
    static final Duration KEEPALIVE = Duration.ofSeconds(KEEPALIVE_SECONDS);
    static final Duration PONG_WAIT = Duration.ofSeconds(PONG_SECONDS);
    private static final byte[] PING = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What the link tells the agent, on the SIP event loop. */
    public interface Listener {
        void connected(Hop local);

        void message(byte[] message);

        void disconnected();
    }

    private final EventLoop loop;
    private final String host;
    private final int port;
    private final SslContext tls;
    private final InetSocketAddress httpProxy;
    private final Listener listener;
    private final Duration keepaliveEvery;
    private final Duration pongWait;
    private boolean viaProxy;
    private Channel channel;
    private Hop local;
    private boolean stopped;
    private long backoffMillis = 1000;
    private boolean pongSeen;
    private long lastRead;
    private long pingSent;

    /**
     * @param tls       null for plain TCP
     * @param httpProxy a forward HTTP proxy to tunnel through (tried first), or null
     */
    public UpstreamLink(EventLoop loop, String host, int port, SslContext tls, InetSocketAddress httpProxy,
                        Listener listener) {
        this(loop, host, port, tls, httpProxy, listener, KEEPALIVE, PONG_WAIT);
    }

    /** With other keepalive timing: tests, which cannot wait 30 s for each ping. */
    UpstreamLink(EventLoop loop, String host, int port, SslContext tls, InetSocketAddress httpProxy,
                 Listener listener, Duration keepaliveEvery, Duration pongWait) {
        this.keepaliveEvery = keepaliveEvery;
        this.pongWait = pongWait;
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.httpProxy = httpProxy;
        this.viaProxy = httpProxy != null;
        this.listener = listener;
    }

    public void start() {
        loop.execute(this::connect);
        long every = keepaliveEvery.toMillis();
        loop.scheduleAtFixedRate(this::keepalive, every, every, TimeUnit.MILLISECONDS);
    }

    /** Whether the connection is up (call on the SIP loop). */
    public boolean isUp() {
        return channel != null && channel.isActive() && local != null;
    }

    /** The local end of the connection, the agent's sent-by upstream; null while down. */
    public Hop local() {
        return local;
    }

    public String transport() {
        return tls != null ? "TLS" : "TCP";
    }

    public String describe() {
        return "SIP over " + transport() + " to " + host + ":" + port + (viaProxy ? " through the HTTP proxy "
                + httpProxy.getHostString() + ":" + httpProxy.getPort() : "");
    }

    /** Sends a whole message; false when the connection is down. */
    public boolean send(byte[] message) {
        if (!isUp()) {
            return false;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(message), channel.voidPromise());
        return true;
    }

    /** Closes the connection: the back-off then opens a new one (a registration that timed out, say). */
    public void recycle(String why) {
        if (channel != null && channel.isActive()) {
            log.warn("Closing the connection to the proxy: {}", why);
            channel.close();
        }
    }

    public void stop() {
        loop.execute(() -> {
            stopped = true;
            if (channel != null) {
                channel.close();
            }
        });
    }

    private void connect() {
        if (stopped) {
            return;
        }
        boolean tunnel = viaProxy;
        Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tunnel) {
                            // TLS (or SIP) starts once the proxy has opened the tunnel
                            ch.pipeline().addLast(new HttpConnect(target(), httpProxy.getHostString() + ":"
                                    + httpProxy.getPort(), ctx -> {
                                if (tls != null) {
                                    ctx.pipeline().addAfter(ctx.name(), null, tls.newHandler(ch.alloc(), host, port));
                                } else {
                                    up(ctx.channel());
                                }
                            }));
                        } else if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new SipStreamDecoder(), new Reader());
                    }
                });
        ChannelFuture f = tunnel ? b.connect(httpProxy.getHostString(), httpProxy.getPort()) : b.connect(host, port);
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                retry("cannot connect: " + done.cause().getMessage(), false);
                return;
            }
            if (tls == null && !tunnel) {
                up(f.channel());
            }
        });
    }

    /** host:port as CONNECT names it (an IPv6 address in brackets). */
    private String target() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private void up(Channel ch) {
        InetSocketAddress l = (InetSocketAddress) ch.localAddress();
        local = new Hop(l.getAddress().getHostAddress(), l.getPort());
        backoffMillis = 1000;
        pongSeen = false;
        lastRead = System.nanoTime();
        pingSent = 0;
        log.info("Connected: {} from {}", describe(), local);
        listener.connected(local);
    }

    private void retry(String why, boolean wasUp) {
        if (stopped) {
            return;
        }
        long delay = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        String failed = describe();
        if (!wasUp && httpProxy != null) {
            viaProxy = !viaProxy;
        }
        log.warn("{}: {}; trying again in {} ms{}", failed, why, delay, failed.equals(describe()) ? ""
                : viaProxy ? ", through the HTTP proxy" : ", directly");
        backoffMillis = Math.min(backoffMillis * 2, 60_000);
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void keepalive() {
        if (!isUp()) {
            return;
        }
        long now = System.nanoTime();
        channel.writeAndFlush(Unpooled.wrappedBuffer(PING), channel.voidPromise());
        pingSent = now;
        if (pongSeen) {
            Channel watched = channel;
            loop.schedule(() -> {
                if (watched == channel && watched.isActive() && lastRead - pingSent < 0) {
                    log.warn("{}: no answer to a keepalive within {} ms; the connection is dead", describe(),
                            pongWait.toMillis());
                    watched.close();
                }
            }, pongWait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private final class Reader extends ChannelInboundHandlerAdapter {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent e) {
                if (e.isSuccess()) {
                    up(ctx.channel());
                } else {
                    log.warn("{}: TLS handshake failed: {}", describe(), e.cause().getMessage());
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastRead = System.nanoTime();
            if (msg == SipStreamDecoder.PONG) {
                pongSeen = true;
            } else if (msg == SipStreamDecoder.PING) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG), ctx.voidPromise()); // RFC 5626 4.4.1
            } else if (msg instanceof byte[] message) {
                listener.message(message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            boolean wasUp = local != null;
            local = null;
            if (wasUp) {
                listener.disconnected();
            }
            retry(wasUp ? "connection lost" : "connection closed before it was up", wasUp);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("{}: {}", describe(), cause.getMessage());
            ctx.close();
        }
    }
}
