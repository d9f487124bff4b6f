package io.pinhole.relay.media;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * The UDP media sockets open on one media loop, for {@link MediaTransport#close()}: a list linked
 * through their {@link ForwardingHandler}s (two references in each handler) instead of an entry per
 * socket in a {@code ChannelGroup} (a map node and its share of the table, ~40 bytes, 4 sockets a
 * call). Touched only on its loop: a handler joins when it is added to its registered channel and
 * leaves when it is removed on deregistration, both of which Netty runs on the channel's loop.
 */
final class OpenSockets {

    private ForwardingHandler head;

    void add(ForwardingHandler h) {
        h.nextOpen = head;
        h.previousOpen = null;
        if (head != null) {
            head.previousOpen = h;
        }
        head = h;
    }

    void remove(ForwardingHandler h) {
        if (h.previousOpen != null) {
            h.previousOpen.nextOpen = h.nextOpen;
        } else if (head == h) {
            head = h.nextOpen;
        } else {
            return; // not (or no longer) in the list
        }
        if (h.nextOpen != null) {
            h.nextOpen.previousOpen = h.previousOpen;
        }
        h.nextOpen = null;
        h.previousOpen = null;
    }

    /** Starts closing every socket in the list; on epoll and NIO the descriptor is closed before this returns. */
    List<ChannelFuture> closeAll() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (ForwardingHandler h = head; h != null; ) {
            ForwardingHandler next = h.nextOpen; // the close may unlink h
            Channel channel = h.channel;
            if (channel != null) {
                closing.add(channel.close());
            }
            h = next;
        }
        return closing;
    }

    boolean isEmpty() {
        return head == null;
    }
}
