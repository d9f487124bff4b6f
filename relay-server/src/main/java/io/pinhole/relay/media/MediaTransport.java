package io.pinhole.relay.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.pinhole.wire.stun.BindingResponder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the media event loops and binds endpoint sockets on them, each with a
 * {@link MediaStunHandler} in front of its {@link ForwardingHandler}. Native epoll with batched
 * receives (recvmmsg: {@code MAX_DATAGRAM_PAYLOAD_SIZE} plus a receive buffer of several
 * datagrams) when available; NIO otherwise, so the relay still runs off Linux. With keepalives on,
 * each loop has a {@link KeepaliveWheel} of its own, turned by a timer on that loop.
 */
public final class MediaTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaTransport.class);

    private static final long BIND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final EventLoopGroup group;
    /** One thread for every conference: the parties' sockets and the mixer's clock (see the conference package). */
    private final EventLoopGroup conferenceGroup;
    private final boolean epoll;
    private final InetAddress bindAddress;
    private final int maxDatagramSize;
    private final int readBatch;
    private final BindingResponder stunAnswers;
    /** Each loop's keepalive wheel; empty when keepalives are off. Built once, then only read. */
    private final Map<EventExecutor, KeepaliveWheel> keepalives;

    /**
     * @param stunAnswers            answers the STUN Binding requests that reach media ports (see
     *                               {@link MediaStunHandler})
     * @param keepaliveIntervalNanos keepalives towards quiet latched sides (see {@link KeepaliveSender});
     *                               0 = none
     */
    public MediaTransport(InetAddress bindAddress, int threads, int maxDatagramSize, int readBatch,
                          BindingResponder stunAnswers, long keepaliveIntervalNanos) {
        this.epoll = Epoll.isAvailable();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        DefaultThreadFactory tf = new DefaultThreadFactory("relay-media", true);
        this.group = epoll ? new MultiThreadIoEventLoopGroup(n, tf, EpollIoHandler.newFactory())
                : new MultiThreadIoEventLoopGroup(n, tf, NioIoHandler.newFactory());
        DefaultThreadFactory cf = new DefaultThreadFactory("relay-conference", true);
        this.conferenceGroup = epoll ? new MultiThreadIoEventLoopGroup(1, cf, EpollIoHandler.newFactory())
                : new MultiThreadIoEventLoopGroup(1, cf, NioIoHandler.newFactory());
        if (!epoll) {
            log.warn("native epoll unavailable ({}), media uses NIO without batched reads",
                    Epoll.unavailabilityCause().toString());
        }
        this.bindAddress = bindAddress;
        this.maxDatagramSize = maxDatagramSize;
        this.readBatch = readBatch;
        this.stunAnswers = stunAnswers;
        this.keepalives = keepaliveIntervalNanos > 0 ? wheels(keepaliveIntervalNanos) : Map.of();
    }

    /** One wheel per loop, each turned on its own loop every tick; the timers end with the group. */
    private Map<EventExecutor, KeepaliveWheel> wheels(long intervalNanos) {
        KeepaliveSender sender = new KeepaliveSender(intervalNanos, cname());
        Map<EventExecutor, KeepaliveWheel> wheels = new IdentityHashMap<>();
        for (EventExecutor loop : group) {
            KeepaliveWheel wheel = new KeepaliveWheel(intervalNanos, System.nanoTime(), sender);
            wheels.put(loop, wheel);
            loop.scheduleAtFixedRate(() -> wheel.advance(System.nanoTime()), wheel.tickNanos(), wheel.tickNanos(),
                    TimeUnit.NANOSECONDS);
        }
        return Collections.unmodifiableMap(wheels);
    }

    /** A CNAME for the relay's keepalive sources: 96 random bits, as RFC 7022 asks of a CNAME. */
    private static byte[] cname() {
        byte[] bits = new byte[12];
        new SecureRandom().nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits).getBytes(StandardCharsets.US_ASCII);
    }

    public boolean nativeEpoll() {
        return epoll;
    }

    /**
     * A server bootstrap on the media loops (epoll or NIO, as the UDP sockets): the TCP/TLS media
     * connections live there too, so a connection that lands on its call's loop forwards with no
     * hand-off.
     */
    public ServerBootstrap serverBootstrap() {
        return new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
    }

    /** The address every media socket binds to (a wildcard or one address). */
    InetAddress bindAddress() {
        return bindAddress;
    }

    /** The loop a new call's sockets all live on. */
    public EventLoop nextLoop() {
        return group.next();
    }

    /**
     * Binds the RTP and RTCP sockets of all the endpoints on their loops, all at once, and waits
     * once for the lot: waiting per socket cost the control thread four loop wake-ups per offer,
     * and under load those waits, not CPU, capped the offers per second (ng replies took 60 ms at
     * the median). Blocking (the control thread waits so a failed command can give everything
     * back), never called on a media loop.
     *
     * @return the endpoints that could not be bound, with whatever half of them did bind closed
     *         again; empty when all are bound
     */
    public List<Endpoint> bind(List<Endpoint> endpoints) {
        List<ChannelFuture> rtp = new ArrayList<>(endpoints.size());
        List<ChannelFuture> rtcp = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            rtp.add(startBind(e, e.rtpPort(), false));
            rtcp.add(startBind(e, e.rtcpPort(), true));
        }
        long deadline = System.nanoTime() + BIND_TIMEOUT_NANOS;
        List<Endpoint> failed = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            boolean rtpBound = bound(rtp.get(i), deadline);
            boolean rtcpBound = bound(rtcp.get(i), deadline);
            if (rtpBound && rtcpBound) {
                endpoints.get(i).channels(rtp.get(i).channel(), rtcp.get(i).channel());
            } else {
                // The port goes back to the pool after this: nothing of it may stay bound.
                rtp.get(i).channel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                rtcp.get(i).channel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                failed.add(endpoints.get(i));
            }
        }
        return failed;
    }

    /** The loop of every conference party's sockets and of the mixer's clock. */
    public EventLoop conferenceLoop() {
        return (EventLoop) conferenceGroup.next();
    }

    /**
     * Binds a conference party's RTP port and the RTCP port after it on the conference loop, with
     * the given handlers (no STUN answering: the mixer is the far end, not a path to keep open).
     * Blocking, like {@link #bind}, never called on a media loop.
     *
     * @return the RTP and RTCP channels, or null when either port could not be bound (nothing of
     *         it stays bound then)
     */
    public Channel[] bindConference(int rtpPort, ChannelHandler rtpHandler, ChannelHandler rtcpHandler) {
        EventLoop loop = conferenceLoop();
        ChannelFuture rtp = startBind(loop, rtpPort, rtpHandler);
        ChannelFuture rtcp = startBind(loop, rtpPort + 1, rtcpHandler);
        long deadline = System.nanoTime() + BIND_TIMEOUT_NANOS;
        boolean rtpBound = bound(rtp, deadline);
        boolean rtcpBound = bound(rtcp, deadline);
        if (rtpBound && rtcpBound) {
            return new Channel[] {rtp.channel(), rtcp.channel()};
        }
        rtp.channel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        rtcp.channel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        return null;
    }

    private ChannelFuture startBind(EventLoop loop, int port, ChannelHandler handler) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .handler(handler);
        if (epoll) {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagramSize)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagramSize * readBatch));
        } else {
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagramSize));
        }
        return b.bind(new InetSocketAddress(bindAddress, port));
    }

    private static boolean bound(ChannelFuture f, long deadline) {
        return f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) && f.isSuccess();
    }

    private ChannelFuture startBind(Endpoint endpoint, int port, boolean rtcp) {
        Bootstrap b = new Bootstrap()
                .group(endpoint.loop())
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new MediaStunHandler(endpoint, stunAnswers),
                                new ForwardingHandler(endpoint, rtcp, keepalives.get(endpoint.loop()),
                                        System::nanoTime));
                    }
                });
        if (epoll) {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagramSize)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagramSize * readBatch));
        } else {
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagramSize));
        }
        return b.bind(new InetSocketAddress(bindAddress, port));
    }

    @Override
    public void close() {
        conferenceGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
