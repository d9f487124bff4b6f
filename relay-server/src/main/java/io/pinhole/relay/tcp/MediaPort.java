package io.pinhole.relay.tcp;

/**
 * One of the relay's TCP listening ports for media (plain RFC 4571, TLS, HTTP) as configuration
 * chose it.
 *
 * <p>A default port is served "where it may bind" (issue 17): 80 and 443 need root or
 * {@code CAP_NET_BIND_SERVICE}, and another server may hold them, so failing to bind a default costs
 * only that transport. A port an operator set must bind: they asked for it, and a relay that
 * quietly runs without it would leave phones behind strict firewalls without audio.
 *
 * @param property its setting as written in configuration, e.g. {@code pinhole.relay.tls-port}
 * @param port     the port to listen on; 0 = off
 * @param explicit set in configuration (else the default)
 */
public record MediaPort(String property, int port, boolean explicit) {

    public MediaPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(property + ": no such port " + port);
        }
    }

    public static MediaPort set(String property, int port) {
        return new MediaPort(property, port, true);
    }

    public static MediaPort byDefault(String property, int port) {
        return new MediaPort(property, port, false);
    }

    public boolean on() {
        return port != 0;
    }
}
