package io.pinhole.relay.stun;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pinhole.wire.stun.Alternate;
import io.pinhole.wire.stun.BindingResponder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The relay's STUN server (RFC 5389 Binding, RFC 5780 behaviour discovery): a socket on each of
 * its ports (one or two) on each of its addresses (the media address, and the alternate one when
 * configured), all on one event loop of their own, so a flood on the STUN port competes with media
 * only for CPU, never for a media loop's queue. Light traffic: plain NIO.
 */
public final class StunServer implements AutoCloseable {

    private static final long BIND_TIMEOUT_SECONDS = 5;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("relay-stun", true), NioIoHandler.newFactory());
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();

    /**
     * Binds every socket, or none.
     *
     * @param alternatePort    the second port, 0 for none
     * @param alternateAddress the second address, null for none
     * @param sightings        told of every Binding request received
     * @throws IllegalStateException naming the address that could not be bound, and why
     */
    public StunServer(InetAddress address, int port, int alternatePort, InetAddress alternateAddress,
                      BindingResponder responder, UdpSightings sightings) {
        List<InetAddress> ips = alternateAddress == null ? List.of(address) : List.of(address, alternateAddress);
        List<Integer> ports = alternatePort == 0 ? List.of(port) : List.of(port, alternatePort);
        StunSockets sockets = new StunSockets();
        Map<InetSocketAddress, ChannelFuture> binds = new LinkedHashMap<>();
        for (InetAddress ip : ips) {
            for (int p : ports) {
                InetSocketAddress local = new InetSocketAddress(ip, p);
                // RFC 5780 section 6.1: "Ca" and "Cp", the other address and port seen from this socket
                Alternate other = new Alternate(ips.size() == 2 ? ips.get(ip.equals(address) ? 1 : 0) : null,
                        ports.size() == 2 ? (p == port ? alternatePort : port) : 0);
                binds.put(local, new Bootstrap().group(group).channel(NioDatagramChannel.class)
                        .handler(new StunHandler(local, other, sockets, responder, sightings)).bind(local));
            }
        }
        Map<InetSocketAddress, Channel> bound = new LinkedHashMap<>();
        String failure = null;
        for (Map.Entry<InetSocketAddress, ChannelFuture> e : binds.entrySet()) {
            ChannelFuture f = e.getValue();
            boolean done = f.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (done && f.isSuccess()) {
                bound.put(e.getKey(), f.channel());
            } else if (failure == null) {
                failure = "cannot bind STUN socket " + e.getKey() + ": "
                        + (done ? f.cause().getMessage() : "timed out");
            }
        }
        if (failure != null) {
            for (ChannelFuture f : binds.values()) {
                f.channel().close().awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            throw new IllegalStateException(failure);
        }
        sockets.publish(bound);
        addresses.addAll(bound.keySet());
        channels.addAll(bound.values());
    }

    /** The bound sockets' addresses: primary address and port first. */
    public List<InetSocketAddress> addresses() {
        return List.copyOf(addresses);
    }

    @Override
    public void close() {
        for (Channel c : channels) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
