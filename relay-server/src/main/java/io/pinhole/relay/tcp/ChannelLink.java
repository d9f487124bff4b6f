package io.pinhole.relay.tcp;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.pinhole.relay.media.MediaEgress;

/** A TCP or TLS media connection as a {@link StreamLink}: one channel carries everything. */
record ChannelLink(Channel channel, String transport) implements StreamLink {

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean isActive() {
        return channel.isActive();
    }

    @Override
    public void whenClosed(Runnable action) {
        channel.closeFuture().addListener(f -> action.run());
    }

    @Override
    public MediaEgress egress(int mediaIndex) {
        return new StreamEgress(channel, mediaIndex, transport);
    }

    @Override
    public void close() {
        channel.close();
    }
}
