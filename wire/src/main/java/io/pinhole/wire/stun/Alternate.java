package io.pinhole.wire.stun;

import java.net.InetAddress;

/**
 * What a STUN server doing RFC 5780 behaviour discovery could answer from instead of the socket a
 * request arrived on: the other IP address ("Ca") and the other port ("Cp") of RFC 5780
 * section 6.1, seen from that socket.
 *
 * @param address the server's other IP address, or null when it has only one
 * @param port    the server's other port, or 0 when it has only one
 */
public record Alternate(InetAddress address, int port) {

    /** One address, one port: nothing to change to. */
    public static final Alternate NONE = new Alternate(null, 0);

    public Alternate {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
    }
}
