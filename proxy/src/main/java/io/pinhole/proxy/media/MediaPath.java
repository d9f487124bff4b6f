package io.pinhole.proxy.media;

/**
 * How a leg's media travels: seed 004's paths, the values of the CDR's per-leg path columns.
 * {@code calls.media_path} keeps its older, coarser meaning: DIRECT when the call had no relay
 * of ours, RELAY_UDP when it had one.
 */
public enum MediaPath {
    /** Phone to phone, untouched: both public, one LAN, a policy that never relays, or a partner's relay already in the SDP. */
    DIRECT,
    /** Relayed first, then moved direct once each NAT holds a hole for the other (endpoint-independent mappings). */
    PUNCH,
    /** Through the relay over UDP: what every relay does today. */
    RELAY_UDP,
    /** Through the relay, carried over TCP to a leg whose network lets no UDP through in one direction or both. */
    RELAY_TCP,
    /** Through the relay, carried over HTTP(S) to a leg whose network lets only that out. */
    RELAY_HTTP;

    /** RELAY_TCP is "TCP", RELAY_HTTP "HTTP", PUNCH and DIRECT their own names: for reasons in words. */
    String medium() {
        return name().startsWith("RELAY_") ? name().substring("RELAY_".length()) : name();
    }
}
