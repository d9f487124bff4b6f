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
 * The ng control socket, on the control thread's single-thread event loop: that thread owns all
 * call state (see {@code Call}). Control traffic is light, so plain NIO. The loop is the
 * {@code RelayServer}'s: the TCP/TLS media ports hand token checks to it too.
 */
public final class NgServer implements AutoCloseable {

    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private final Channel channel;

    /** A single-thread NIO group for {@link #NgServer}: the control thread. Its owner shuts it down. */
    public static EventLoopGroup controlGroup() {
        return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("relay-control", true),
                NioIoHandler.newFactory());
    }

    /** @param controlLoop the control thread (from {@link #controlGroup()}), left running by {@link #close()} */
    public NgServer(EventLoop controlLoop, InetSocketAddress bind, NgCommandTable commands, String secret,
                    long replyTtlNanos, LongSupplier nanoClock) throws InterruptedException {
        ReplyCache cache = new ReplyCache(replyTtlNanos, 100_000);
        this.channel = new Bootstrap()
                .group(controlLoop)
                .channel(NioDatagramChannel.class)
                // A burst of offers from several proxies waits in the socket, not on the floor.
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                .handler(new NgHandler(commands, cache, secret, nanoClock))
                .bind(bind).sync().channel();
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
    }
}
