package io.pinhole.proxy.media;

import java.util.Map;

/**
 * A relay's permission for one call side to carry its media over a stream connection: the token
 * and the ports the relay serves (0 = not served), as an ng offer or answer reply gives them
 * ({@code tcp-token} or {@code answerer-tcp-token}, {@code tcp-port}, {@code tls-port},
 * {@code http-port}). One token opens any of the ports.
 */
public record StreamGrant(String token, int tcpPort, int tlsPort, int httpPort) {

    /** The grant under {@code tokenKey} in an ng reply, or null when the reply has no such token. */
    public static StreamGrant fromReply(Map<String, Object> reply, String tokenKey) {
        if (!(reply.get(tokenKey) instanceof String token) || token.isEmpty()) {
            return null;
        }
        return new StreamGrant(token, port(reply, "tcp-port"), port(reply, "tls-port"), port(reply, "http-port"));
    }

    private static int port(Map<String, Object> reply, String key) {
        return reply.get(key) instanceof Number n ? n.intValue() : 0;
    }

    /**
     * The port a client of {@code transport} connects to, 0 when the relay serves none: HTTP goes to
     * the HTTP port, else to the TLS port (which speaks HTTPS too, as the relay documents).
     */
    public int port(MediaTransport transport) {
        return switch (transport) {
            case TCP -> tcpPort;
            case TLS -> tlsPort;
            case HTTP -> httpPort != 0 ? httpPort : tlsPort;
            case UDP -> 0;
        };
    }
}
