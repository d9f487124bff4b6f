package io.pinhole.relay.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
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
 * {@link ForwardingHandler} as its one handler (STUN answered through {@link MediaStun}). Native epoll with batched
 * receives (recvmmsg: {@code MAX_DATAGRAM_PAYLOAD_SIZE} plus a receive buffer of several
 * datagrams) by default; io_uring when {@link MediaIo} asks for it and it loads (see
 * {@link #IO_URING_READS_PER_SOCKET}); NIO when no native transport loads, so the relay still runs
 * off Linux. With keepalives on, each loop has a {@link KeepaliveWheel} of its own, turned by a
 * timer on that loop.
 */
public final class MediaTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaTransport.class);

    private static final long BIND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * Datagrams one io_uring media socket has receive buffers posted for. Unlike epoll's recvmmsg
     * buffer, which a socket holds only while it reads, io_uring keeps a socket's buffer pinned in
     * the kernel for as long as its recvmsg is outstanding, i.e. always: read-batch (16) x 2 KB on
     * each of 40,000 sockets would be 1.3 GB of direct memory. The batching io_uring brings is
     * across sockets (all completions of a loop turn, all resubmissions and sends in one
     * io_uring_enter), and at 50 packets/s a socket seldom has a second datagram queued; when it
     * does, Netty re-posts at once (IORING_CQE_F_SOCK_NONEMPTY).
     */
    static final int IO_URING_READS_PER_SOCKET = 1;

    /**
     * The receive buffers of the epoll media sockets. Netty 4.2's default (adaptive) allocator
     * served the read-batch x max-datagram-size (32 KB) recvmmsg buffer from a chunk of its own
     * about every fourth read (JFR at lat500: per ~4 packets an {@code AdaptivePoolingAllocator$Chunk},
     * a fresh {@code DirectByteBuffer} with its {@code Cleaner}, and its {@code freeMemory} on the
     * media thread). The pooled allocator keeps the 32 KB runs in the loop thread's cache: the
     * buffer is taken and given back on the same media thread, one packet later.
     */
    static final ByteBufAllocator EPOLL_RECEIVE_ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    /**
     * Submissions one io_uring_enter takes: Netty's default (128) enters the kernel again every
     * 128 re-posted receives and sends of one loop turn, and a turn at load carries thousands.
     */
    private static final int IO_URING_RING_SIZE = 4096;

    /**
     * Completions the kernel can post before the loop reaps them: Netty's default (4096)
     * overflowed at 500 calls (2,000 sockets) on a busy 2-core machine, each overflow a WARN
     * line of Netty's on the media thread. 65,536 (the kernel's maximum, 1 MB a loop) covers a
     * receive completing on each of 40,000 sockets (10,000 calls) at once, plus their sends.
     */
    private static final int IO_URING_COMPLETION_QUEUE_SIZE = 65_536;

    private final EventLoopGroup group;
    /** One thread for every conference: the parties' sockets and the mixer's clock (see the conference package). */
    private final EventLoopGroup conferenceGroup;
    private final MediaIo.Kind io;
    private final InetAddress bindAddress;
    private final int maxDatagramSize;
    private final MediaStun stun;
    /**
     * The receive buffers' sizes of every media socket: one instance for all of them (each socket
     * takes a handle of its own from it), not one more object per socket.
     */
    private final FixedRecvByteBufAllocator receiveSizes;
    /** Each loop's keepalive wheel; empty when keepalives are off. Built once, then only read. */
    private final Map<EventExecutor, KeepaliveWheel> keepalives;
    /** Each media loop's open UDP media sockets, closed by {@link #close()}. Built once, then only read. */
    private final Map<EventExecutor, OpenSockets> openSockets;
    /**
     * Every TCP/TLS/HTTP media port and connection open now, and on io_uring every UDP media socket
     * too (see {@link #track}); {@link #close()} closes them before the loops stop.
     */
    private final ChannelGroup open = new DefaultChannelGroup("relay-media", GlobalEventExecutor.INSTANCE);
    private final Tracker tracker = new Tracker(open);

    /**
     * @param stunAnswers            answers the STUN Binding requests that reach media ports (see
     *                               {@link MediaStun})
     * @param keepaliveIntervalNanos keepalives towards quiet latched sides (see {@link KeepaliveSender});
     *                               0 = none
     */
    public MediaTransport(InetAddress bindAddress, int threads, int maxDatagramSize, int readBatch,
                          BindingResponder stunAnswers, long keepaliveIntervalNanos) {
        this(MediaIo.fromSystemProperty(), bindAddress, threads, maxDatagramSize, readBatch, stunAnswers,
                keepaliveIntervalNanos);
    }

    /** @param mediaIo the transport asked for; what runs is {@link #io()} (one WARN line when they differ) */
    public MediaTransport(MediaIo mediaIo, InetAddress bindAddress, int threads, int maxDatagramSize, int readBatch,
                          BindingResponder stunAnswers, long keepaliveIntervalNanos) {
        // IoUring's cause is only looked at when io_uring is asked for: its class loads the native library
        MediaIo.Choice choice = mediaIo.choose(Epoll.isAvailable() ? null : Epoll.unavailabilityCause(),
                mediaIo == MediaIo.EPOLL || IoUring.isAvailable() ? null : IoUring.unavailabilityCause());
        this.io = choice.kind();
        if (choice.fallback() != null) {
            log.warn("pinhole.relay.media-io={}: {}", mediaIo.name().toLowerCase(java.util.Locale.ROOT),
                    choice.fallback());
        }
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.group = new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("relay-media", true), ioHandlers());
        this.conferenceGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("relay-conference", true),
                ioHandlers());
        this.bindAddress = bindAddress;
        this.maxDatagramSize = maxDatagramSize;
        this.stun = new MediaStun(stunAnswers);
        this.receiveSizes = new FixedRecvByteBufAllocator(maxDatagramSize * switch (io) {
            case EPOLL -> readBatch;
            case IO_URING -> IO_URING_READS_PER_SOCKET;
            case NIO -> 1;
        });
        this.keepalives = keepaliveIntervalNanos > 0 ? wheels(keepaliveIntervalNanos) : Map.of();
        Map<EventExecutor, OpenSockets> sockets = new IdentityHashMap<>();
        for (EventExecutor loop : group) {
            sockets.put(loop, new OpenSockets());
        }
        this.openSockets = Collections.unmodifiableMap(sockets);
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

    private IoHandlerFactory ioHandlers() {
        return switch (io) {
            case IO_URING -> IoUringIoHandler.newFactory(new IoUringIoHandlerConfig()
                    .setRingSize(IO_URING_RING_SIZE).setCqSize(IO_URING_COMPLETION_QUEUE_SIZE));
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    /** What the media loops run on. */
    public MediaIo.Kind io() {
        return io;
    }

    /**
     * A server bootstrap on the media loops (the transport of the UDP sockets): the TCP/TLS media
     * connections live there too, so a connection that lands on its call's loop forwards with no
     * hand-off.
     */
    public ServerBootstrap serverBootstrap() {
        Class<? extends ServerChannel> type = switch (io) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
        return new ServerBootstrap().group(group).channel(type).handler(tracker);
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
        return track(datagramBootstrap(loop).handler(handler).bind(new InetSocketAddress(bindAddress, port)));
    }

    /**
     * A UDP socket of this transport on {@code loop}, reading datagrams of up to
     * {@code maxDatagramSize}: epoll in batches of {@code readBatch} (recvmmsg), io_uring with
     * {@link #IO_URING_READS_PER_SOCKET} receive posted, NIO one at a time.
     */
    private Bootstrap datagramBootstrap(EventLoop loop) {
        Bootstrap b = new Bootstrap().group(loop);
        return switch (io) {
            case EPOLL -> b.channel(EpollDatagramChannel.class)
                    .option(ChannelOption.ALLOCATOR, EPOLL_RECEIVE_ALLOCATOR)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagramSize)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, receiveSizes);
            case IO_URING -> b.channel(IoUringDatagramChannel.class)
                    .option(IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagramSize)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, receiveSizes);
            case NIO -> b.channel(NioDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, receiveSizes);
        };
    }

    private static boolean bound(ChannelFuture f, long deadline) {
        return f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) && f.isSuccess();
    }

    private ChannelFuture startBind(Endpoint endpoint, int port, boolean rtcp) {
        return track(datagramBootstrap(endpoint.loop())
                // one bootstrap per socket, so a handler of its own needs no initializer
                .handler(new ForwardingHandler(endpoint, rtcp, keepalives.get(endpoint.loop()), System::nanoTime, stun,
                        openSockets.get(endpoint.loop())))
                .bind(new InetSocketAddress(bindAddress, port)));
    }

    /**
     * On io_uring, the UDP socket is in {@link #open} from now until it closes (the group drops it
     * then by itself), for {@link #close()}. On epoll and NIO a call's sockets are closed through
     * their loops' {@link OpenSockets} (no group entry: a map node and its share of the table, ~40
     * bytes a socket, 4 sockets a call); a conference's are closed by the conferences before.
     */
    private ChannelFuture track(ChannelFuture bind) {
        if (io == MediaIo.Kind.IO_URING) {
            open.add(bind.channel());
        }
        return bind;
    }

    /**
     * On the server channels of {@link #serverBootstrap()}: puts the server channel and every
     * connection it accepts into {@link #open}, then passes the connection on to the bootstrap's
     * acceptor behind it.
     */
    @ChannelHandler.Sharable
    private static final class Tracker extends ChannelInboundHandlerAdapter {

        private final ChannelGroup open;

        Tracker(ChannelGroup open) {
            this.open = open;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            open.add(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel connection) {
                open.add(connection);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Closes every socket first, and waits for the closes, then stops the loops: io_uring (Netty
     * 4.2.18) never closes the file descriptor of a channel still open when its loop stops (the
     * close waits for the cancelled receive's completion, which a stopped ring never reaps), so the
     * port stayed bound for the life of the JVM and the next relay in it could not bind it. Epoll
     * closes a stopping loop's channels itself, but a port was once seen still bound by the next
     * relay in the JVM right after this returned: the call sockets are closed here, on their loops,
     * before anything stops.
     */
    @Override
    public void close() {
        closeCallSockets();
        open.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        conferenceGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Closes every loop's open UDP media sockets on that loop and waits until each close is done. */
    private void closeCallSockets() {
        List<io.netty.util.concurrent.Future<List<ChannelFuture>>> perLoop = new ArrayList<>(openSockets.size());
        for (Map.Entry<EventExecutor, OpenSockets> e : openSockets.entrySet()) {
            if (!e.getKey().isShuttingDown()) {
                perLoop.add(e.getKey().submit(e.getValue()::closeAll));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (io.netty.util.concurrent.Future<List<ChannelFuture>> loop : perLoop) {
            if (loop.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    && loop.isSuccess()) {
                for (ChannelFuture closing : loop.getNow()) {
                    closing.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            }
        }
    }
}
