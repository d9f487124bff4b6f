package io.pinhole.edge.media;

import io.pinhole.wire.stream.MediaFrames;
import java.util.Locale;

/**
 * The proxy's {@code a=pinhole-media:<tcp|tls|http> <port> <token>} attribute: where and how the
 * agent reaches the relay for a call's media when UDP does not pass (the host is the SDP's
 * session c= address).
 */
public record PinholeMedia(Transport transport, int port, String token) {

    public static final String ATTRIBUTE = "a=pinhole-media:";

    /**
     * Parses the attribute line's value (after the colon).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static PinholeMedia parse(String value) {
        String[] parts = value.strip().split("\\s+");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a=pinhole-media needs '<transport> <port> <token>': " + value);
        }
        Transport t;
        try {
            t = Transport.valueOf(parts[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a=pinhole-media with unknown transport " + parts[0]);
        }
        if (t == Transport.UDP) {
            throw new IllegalArgumentException("a=pinhole-media never names udp");
        }
        int port;
        try {
            port = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a=pinhole-media port is not a number: " + parts[1]);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a=pinhole-media port out of range: " + port);
        }
        if (!MediaFrames.isToken(parts[2])) {
            throw new IllegalArgumentException("a=pinhole-media token is not a relay token");
        }
        return new PinholeMedia(t, port, parts[2]);
    }
}
