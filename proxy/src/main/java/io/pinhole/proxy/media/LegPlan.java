package io.pinhole.proxy.media;

import java.util.Objects;

/**
 * One leg's path: the one planned, the one taken (different when what is planned cannot be
 * done yet, or the call as a whole overrides it), and why, in words.
 *
 * @param transport what carries the leg's media to the relay on the path taken: UDP unless that
 *                  path is RELAY_TCP (TCP or TLS, as the leg's edge agent asked) or RELAY_HTTP
 *                  (always consistent with {@code actual}, see {@link MediaTransport#carrying})
 */
public record LegPlan(String leg, boolean behindNat, MediaPath planned, MediaPath actual, String reason,
                      MediaTransport transport) {

    public LegPlan {
        Objects.requireNonNull(leg, "leg");
        Objects.requireNonNull(planned, "planned");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(reason, "reason");
        transport = MediaTransport.carrying(actual, transport);
    }

    /** A leg whose transport follows from its path alone (RELAY_TCP over plain TCP). */
    public LegPlan(String leg, boolean behindNat, MediaPath planned, MediaPath actual, String reason) {
        this(leg, behindNat, planned, actual, reason, null);
    }

    /** The same plan, taking {@code path} instead, with why appended to the reason. */
    public LegPlan taking(MediaPath path, String why) {
        return new LegPlan(leg, behindNat, planned, path, reason + "; " + why, transport);
    }
}
