package io.pinhole.relay.tcp;

import io.netty.channel.EventLoop;
import io.pinhole.relay.media.MediaEgress;

/**
 * What {@link StreamBinder} binds to a call side: a TCP/TLS connection ({@link ChannelLink}) or an
 * HTTP session ({@link HttpSession}), which outlives the HTTP connections its requests come over.
 */
interface StreamLink {

    /** The loop the binder's answers are handed to. */
    EventLoop eventLoop();

    boolean isActive();

    /** Runs {@code action} once when the link closes (at once when it has closed already). */
    void whenClosed(Runnable action);

    /** The egress for the side's {@code mediaIndex}-th stream over this link. */
    MediaEgress egress(int mediaIndex);

    void close();
}
