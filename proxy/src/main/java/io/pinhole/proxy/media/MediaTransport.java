package io.pinhole.proxy.media;

import java.util.Locale;

/**
 * What carries a leg's media between its network and the relay: UDP, or the relay's stream
 * transports (README "Media over TCP and TLS", "Media over HTTP"). The values of the CDR's
 * {@code caller_media_transport} / {@code callee_media_transport} and of ng's
 * {@code media-transport}.
 */
public enum MediaTransport {
    UDP, TCP, TLS, HTTP;

    /** Built once: read for every leg of every call (ng flags, SDP, CDR). */
    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The wire name: ng, SDP's {@code a=pinhole-media}, the {@code Pinhole-Edge} header, the CDR. */
    public String wire() {
        return wire;
    }

    /** The transport named {@code wire} (any case), or null when it names none. */
    public static MediaTransport parse(String wire) {
        if (wire == null) {
            return null;
        }
        for (MediaTransport t : values()) {
            if (t.wire().equalsIgnoreCase(wire.trim())) {
                return t;
            }
        }
        return null;
    }

    /** Whether this transport is one of the relay's stream connections (needs a token). */
    public boolean stream() {
        return this != UDP;
    }

    /**
     * What a leg taking {@code path} actually uses when it would rather use {@code preferred}:
     * RELAY_TCP keeps TCP or TLS (plain TCP when nothing better is known), RELAY_HTTP is HTTP,
     * every other path UDP. A pure function: a plan that falls back changes its transport with it.
     */
    public static MediaTransport carrying(MediaPath path, MediaTransport preferred) {
        return switch (path) {
            case RELAY_TCP -> preferred == TLS ? TLS : TCP;
            case RELAY_HTTP -> HTTP;
            case DIRECT, PUNCH, RELAY_UDP -> UDP;
        };
    }
}
