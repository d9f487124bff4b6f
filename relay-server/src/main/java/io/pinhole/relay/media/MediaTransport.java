package io.pinhole.relay.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the media event loops and binds endpoint sockets on them. Native epoll with batched
 * receives (recvmmsg: {@code MAX_DATAGRAM_PAYLOAD_SIZE} plus a receive buffer of several
 * datagrams) when available; NIO otherwise, so the relay still runs off Linux.
 */
public final class MediaTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaTransport.class);

    private final EventLoopGroup group;
    private final boolean epoll;
    private final InetAddress bindAddress;
    private final int maxDatagramSize;
    private final int readBatch;

    public MediaTransport(InetAddress bindAddress, int threads, int maxDatagramSize, int readBatch) {
        this.epoll = Epoll.isAvailable();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        DefaultThreadFactory tf = new DefaultThreadFactory("relay-media", true);
        this.group = epoll ? new MultiThreadIoEventLoopGroup(n, tf, EpollIoHandler.newFactory())
                : new MultiThreadIoEventLoopGroup(n, tf, NioIoHandler.newFactory());
        if (!epoll) {
            log.warn("native epoll unavailable ({}), media uses NIO without batched reads",
                    Epoll.unavailabilityCause().toString());
        }
        this.bindAddress = bindAddress;
        this.maxDatagramSize = maxDatagramSize;
        this.readBatch = readBatch;
    }

    public boolean nativeEpoll() {
        return epoll;
    }

    /** The loop a new call's sockets all live on. */
    public EventLoop nextLoop() {
        return group.next();
    }

    /**
     * Binds the RTP and RTCP sockets of an endpoint on its loop. Blocking (the control thread
     * waits for the bind result so a failed command can give everything back), never called on
     * a media loop.
     *
     * @return true when both are bound; false leaves nothing bound
     */
    public boolean bind(Endpoint endpoint) {
        Channel rtp = bindOne(endpoint, endpoint.rtpPort(), false);
        if (rtp == null) {
            return false;
        }
        Channel rtcp = bindOne(endpoint, endpoint.rtcpPort(), true);
        if (rtcp == null) {
            rtp.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            return false;
        }
        endpoint.channels(rtp, rtcp);
        return true;
    }

    private Channel bindOne(Endpoint endpoint, int port, boolean rtcp) {
        Bootstrap b = new Bootstrap()
                .group(endpoint.loop())
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .handler(new ForwardingHandler(endpoint, rtcp));
        if (epoll) {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagramSize)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagramSize * readBatch));
        } else {
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagramSize));
        }
        ChannelFuture f = b.bind(new InetSocketAddress(bindAddress, port));
        if (!f.awaitUninterruptibly(5, TimeUnit.SECONDS) || !f.isSuccess()) {
            f.channel().close();
            return null;
        }
        return f.channel();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
