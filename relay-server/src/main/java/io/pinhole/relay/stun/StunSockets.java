package io.pinhole.relay.stun;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The STUN server's sockets by local address, so an answer can leave from another one (RFC 5780
 * CHANGE-REQUEST). Published once, after every socket is bound; until then (a request in the
 * first instant) an answer that needs a socket not yet known is dropped and the client retries.
 */
final class StunSockets {

    private volatile Map<InetSocketAddress, Channel> byAddress = Map.of();

    void publish(Map<InetSocketAddress, Channel> sockets) {
        this.byAddress = Map.copyOf(sockets);
    }

    /** The socket bound to that address, or null. */
    Channel get(InetSocketAddress local) {
        return byAddress.get(local);
    }
}
