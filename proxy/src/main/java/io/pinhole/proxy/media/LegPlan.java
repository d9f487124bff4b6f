package io.pinhole.proxy.media;

import java.util.Objects;

/**
 * One leg's path: the one planned, the one taken (different when what is planned cannot be
 * done yet, or the call as a whole overrides it), and why, in words.
 */
public record LegPlan(String leg, boolean behindNat, MediaPath planned, MediaPath actual, String reason) {

    public LegPlan {
        Objects.requireNonNull(leg, "leg");
        Objects.requireNonNull(planned, "planned");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(reason, "reason");
    }

    /** The same plan, taking {@code path} instead, with why appended to the reason. */
    public LegPlan taking(MediaPath path, String why) {
        return new LegPlan(leg, behindNat, planned, path, reason + "; " + why);
    }
}
