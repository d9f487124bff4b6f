package io.pinhole.edge.media;

import io.netty.buffer.ByteBuf;

/**
 * The way one call's media goes to and comes from the relay. {@link #send} is called on the
 * session's event loop for every packet from the phone and does not take ownership of the buffer.
 */
interface RelayLink {

    void send(int streamId, ByteBuf packet);

    void close();

    /** In words, for log lines ("TLS to 203.0.113.5:443"). */
    String describe();
}
