package io.pinhole.relay.control;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The ng control socket, on its own single-thread event loop: that thread is "the control
 * thread" that owns all call state (see {@code Call}). Control traffic is light, so plain NIO.
 */
public final class NgServer implements AutoCloseable {

    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("relay-control", true), NioIoHandler.newFactory());
    private final Channel channel;

    public NgServer(InetSocketAddress bind, NgCommandTable commands, String secret, long replyTtlNanos,
                    LongSupplier nanoClock) throws InterruptedException {
        ReplyCache cache = new ReplyCache(replyTtlNanos, 100_000);
        try {
            this.channel = new Bootstrap()
                    .group(group)
                    .channel(NioDatagramChannel.class)
                    // A burst of offers from several proxies waits in the socket, not on the floor.
                    .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                    .handler(new NgHandler(commands, cache, secret, nanoClock))
                    .bind(bind).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The control thread; run anything that touches call state on it. */
    public EventLoop controlLoop() {
        return channel.eventLoop();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
