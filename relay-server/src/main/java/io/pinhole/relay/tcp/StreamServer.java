package io.pinhole.relay.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.pinhole.relay.media.MediaTransport;
import io.pinhole.relay.stun.UdpSightings;
import io.pinhole.wire.stream.HttpMedia;
import io.pinhole.wire.stream.MediaFrames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP, TLS and HTTP media ports: accepts connections on the media loops, refuses them over
 * the global cap, and gives each a pipeline of [TLS] → idle timer → {@link StreamFrameDecoder} →
 * {@link StreamSession} (on the TLS port first {@link TlsPortSniffer}, which may put the HTTP
 * handlers there instead), or on the HTTP port idle timer → the HTTP handlers.
 *
 * <p>What may wait for a phone that reads slowly or not at all is bounded per connection: a
 * {@value #SEND_BUFFER}-byte socket send buffer (fixed, so the kernel does not grow it to
 * megabytes) and Netty's write queue up to its high-water mark of {@value #HIGH_WATER} bytes,
 * beyond which {@link StreamEgress} drops packets. Linux doubles the send buffer it is given, so
 * about 24 KB wait at most: some 140 G.711 packets, under 3 s of one stream's audio; more would
 * only be audio too late to play.
 */
public final class StreamServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamServer.class);

    static final int SEND_BUFFER = 8 * 1024;
    static final int LOW_WATER = 4 * 1024;
    static final int HIGH_WATER = 8 * 1024;
    /** Request line (with an absolute-form URI through a proxy) and header limits of the HTTP port. */
    static final int HTTP_MAX_LINE = 1024;
    static final int HTTP_MAX_HEADERS = 8192;
    static final int HTTP_MAX_CHUNK = 8192;
    static final int HTTP_PACKETS_PER_REQUEST = 4;

    private final AtomicInteger open = new AtomicInteger();
    private final Channel tcp;
    private final Channel tls;
    private final Channel http;
    private final HttpSessions sessions;
    private final UdpSightings sightings;

    /**
     * Binds the ports that are on. One that cannot be bound fails the start naming its setting when
     * it was set, and is left out with a warning when it was a default ({@link BindVerdict}).
     *
     * @param tlsContext the TLS port's context; unused when the TLS port is off
     * @param sessions   the HTTP sessions, of the HTTP port and of HTTPS on the TLS port
     * @param sightings  the STUN requests seen, for {@code /pinhole/udp-seen} over HTTP and HTTPS
     */
    public StreamServer(MediaTransport media, InetAddress bind, MediaPorts ports, SslContext tlsContext,
                        HttpSessions sessions, StreamBinder binder, StreamLimits limits, UdpSightings sightings) {
        this.sessions = sessions;
        this.sightings = sightings;
        this.tcp = ports.tcp().on() ? bind(media, bind, ports.tcp(), null, binder, limits, null) : null;
        Channel bound = null;
        try {
            bound = ports.tls().on() ? bind(media, bind, ports.tls(), tlsContext, binder, limits, sessions) : null;
            this.http = ports.http().on() ? bindHttp(media, bind, ports.http(), sessions, limits) : null;
        } catch (RuntimeException e) {
            for (Channel c : new Channel[] {tcp, bound}) {
                if (c != null) {
                    c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
                }
            }
            throw e;
        }
        this.tls = bound;
    }

    /**
     * Whether a new connection fits under the global cap (TCP, TLS and HTTP together); counts it
     * until it closes when it does, else closes it.
     */
    private boolean admit(Channel ch, String transport, StreamLimits limits) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            log.info("{} media connection from {} closed: {} connections open (tcp-max-connections)", transport,
                    ch.remoteAddress(), limits.maxConnections());
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }

    /** The HTTP media port: idle timer → {@link #httpHandlers}. */
    private Channel bindHttp(MediaTransport media, InetAddress address, MediaPort port, HttpSessions sessions,
                             StreamLimits limits) {
        ServerBootstrap b = media.serverBootstrap()
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_SNDBUF, SEND_BUFFER)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATER, HIGH_WATER))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!admit(ch, "http", limits)) {
                            return;
                        }
                        ch.pipeline().addLast(
                                new IdleStateHandler(limits.idleTimeoutNanos(), 0, 0, TimeUnit.NANOSECONDS));
                        ch.pipeline().addLast(httpHandlers(sessions, limits));
                    }
                });
        return listen(b, address, port);
    }

    /**
     * Request deadline (slowloris) → Netty's HTTP codec with short lines and headers → aggregator
     * with a small body bound (a few packets: what a client gathers while its previous request is
     * answered) → {@link HttpMediaHandler}.
     */
    private ChannelHandler[] httpHandlers(HttpSessions sessions, StreamLimits limits) {
        RequestDeadline deadline = new RequestDeadline(limits.helloTimeoutNanos());
        return new ChannelHandler[] {deadline, new HttpServerCodec(HTTP_MAX_LINE, HTTP_MAX_HEADERS, HTTP_MAX_CHUNK),
                new HttpBodyLimit(Math.max(HttpMedia.MAX_REQUEST_BODY,
                        HTTP_PACKETS_PER_REQUEST * (limits.maxPacket() + MediaFrames.HEADER))),
                new HttpMediaHandler(sessions, deadline, limits.maxPacket(), limits.idleTimeoutNanos(),
                        sightings)};
    }

    /** @param sessions on the TLS port, HTTP inside TLS goes to these sessions; null = frames only */
    private Channel bind(MediaTransport media, InetAddress address, MediaPort port, SslContext tlsContext,
                         StreamBinder binder, StreamLimits limits, HttpSessions sessions) {
        String transport = tlsContext == null ? "tcp" : "tls";
        ServerBootstrap b = media.serverBootstrap()
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true) // media: never hold a packet back to fill a segment
                .childOption(ChannelOption.SO_SNDBUF, SEND_BUFFER)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATER, HIGH_WATER))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!admit(ch, transport, limits)) {
                            return;
                        }
                        ChannelPipeline p = ch.pipeline();
                        if (tlsContext != null) {
                            SslHandler ssl = tlsContext.newHandler(ch.alloc());
                            ssl.setHandshakeTimeout(limits.helloTimeoutNanos(), TimeUnit.NANOSECONDS);
                            p.addLast(ssl);
                        }
                        p.addLast(new IdleStateHandler(limits.idleTimeoutNanos(), 0, 0, TimeUnit.NANOSECONDS));
                        if (tlsContext != null && sessions != null) {
                            p.addLast(new TlsPortSniffer(() -> httpHandlers(sessions, limits)));
                        }
                        p.addLast(new StreamFrameDecoder(limits.maxPacket()),
                                new StreamSession(binder, transport, limits));
                    }
                });
        return listen(b, address, port);
    }

    /** The listening channel, or null when a default port could not be bound (warned). */
    private static Channel listen(ServerBootstrap b, InetAddress address, MediaPort port) {
        ChannelFuture f = b.bind(new InetSocketAddress(address, port.port())).awaitUninterruptibly();
        if (f.isSuccess()) {
            return f.channel();
        }
        BindVerdict verdict = BindVerdict.of(port, address.getHostAddress(), f.cause());
        if (verdict.fatal()) {
            throw new IllegalStateException(verdict.message(), f.cause());
        }
        log.warn(verdict.message());
        return null;
    }

    /** The bound TCP media port, 0 when off. */
    public int tcpPort() {
        return tcp == null ? 0 : ((InetSocketAddress) tcp.localAddress()).getPort();
    }

    /** The bound TLS media port, 0 when off. */
    public int tlsPort() {
        return tls == null ? 0 : ((InetSocketAddress) tls.localAddress()).getPort();
    }

    /** Packets dropped since start because an HTTP client's queue was full. */
    public long httpDroppedPackets() {
        return sessions == null ? 0 : sessions.droppedPackets();
    }

    /** The bound HTTP media port, 0 when off. */
    public int httpPort() {
        return http == null ? 0 : ((InetSocketAddress) http.localAddress()).getPort();
    }

    /** TCP, TLS and HTTP connections open now, bound or not. */
    public int openConnections() {
        return open.get();
    }

    /** Stops accepting; the open connections close with the media loops. */
    @Override
    public void close() {
        if (tcp != null) {
            tcp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (tls != null) {
            tls.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (http != null) {
            http.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
