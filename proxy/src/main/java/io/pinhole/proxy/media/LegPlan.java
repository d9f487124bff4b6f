package io.pinhole.proxy.media;

import java.util.Objects;

/**
 * One leg's path: the one planned, the one taken (different when what is planned cannot be
 * done yet, or the call as a whole overrides it), and why, in words.
 *
 * @param transport what carries the leg's media to the relay on the path taken: UDP unless that
 *                  path is RELAY_TCP (TCP or TLS, as the leg's edge agent asked) or RELAY_HTTP
 *                  (always consistent with {@code actual}, see {@link MediaTransport#carrying}); on a
 *                  stream path, what brings the media down to the leg
 * @param up        what carries the leg's media up to the relay: {@code transport}, or UDP for an edge
 *                  agent whose UDP gets out but not in while {@code transport} is a stream bringing
 *                  the media down (any UDP path is UDP both ways)
 */
public record LegPlan(String leg, boolean behindNat, MediaPath planned, MediaPath actual, String reason,
                      MediaTransport transport, MediaTransport up) {

    public LegPlan {
        Objects.requireNonNull(leg, "leg");
        Objects.requireNonNull(planned, "planned");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(reason, "reason");
        // a call keeps its plan for its whole length, and its words repeat from call to call
        // ("policy always relays: RELAY_UDP", "callee 10.0.0.7:5060/UDP"): one string each, not a
        // copy a call (the JVM's string table holds them weakly)
        leg = leg.intern();
        reason = reason.intern();
        transport = MediaTransport.carrying(actual, transport);
        up = up == MediaTransport.UDP && transport.stream() ? MediaTransport.UDP : transport;
    }

    /** A leg whose media goes both ways over {@code transport}. */
    public LegPlan(String leg, boolean behindNat, MediaPath planned, MediaPath actual, String reason,
                   MediaTransport transport) {
        this(leg, behindNat, planned, actual, reason, transport, null);
    }

    /** A leg whose transport follows from its path alone (RELAY_TCP over plain TCP). */
    public LegPlan(String leg, boolean behindNat, MediaPath planned, MediaPath actual, String reason) {
        this(leg, behindNat, planned, actual, reason, null);
    }

    /** The same plan, taking {@code path} instead, with why appended to the reason. */
    public LegPlan taking(MediaPath path, String why) {
        return new LegPlan(leg, behindNat, planned, path, reason + "; " + why, transport, up);
    }

    /** Whether the leg's media goes up over one transport and comes down over another. */
    public boolean split() {
        return up != transport;
    }

    /**
     * The CDR's {@code *_media_transport}: {@code tls}, or {@code udp-up/tls-down} for a split leg, so
     * a leg whose phones' media never crossed TLS upward is not counted as TLS.
     */
    public String transportWords() {
        return split() ? up.wire() + "-up/" + transport.wire() + "-down" : transport.wire();
    }
}
