package io.pinhole.proxy.punch;

import io.pinhole.proxy.media.LegPlan;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.PathPlan;

import java.time.Duration;
import java.time.Instant;

/** What a punch did, for the CDR: the legs' actual paths and the share of the call's media that went direct. */
public final class PunchOutcome {

    private PunchOutcome() {
    }

    /**
     * The planned paths as carried out: a PUNCH leg stays PUNCH when the call's media went direct,
     * else it was relayed over UDP for its whole life, and the reason says why.
     *
     * @param directFrom when the media went direct, or null
     * @param why        why the punch ended relayed (null: never attempted, e.g. not answered, or it stayed
     *                   direct); with {@code directFrom}, the media went direct and came back
     */
    public static PathPlan paths(PathPlan planned, Instant directFrom, String why) {
        if (planned == null) {
            return null;
        }
        return new PathPlan(leg(planned.caller(), directFrom, why),
                planned.callee() == null ? null : leg(planned.callee(), directFrom, why));
    }

    private static LegPlan leg(LegPlan leg, Instant directFrom, String why) {
        if (leg.actual() != MediaPath.PUNCH) {
            return leg;
        }
        if (directFrom != null && why != null) {
            return leg.taking(MediaPath.RELAY_UDP, "direct, then back to the relay (" + why + ")");
        }
        return directFrom != null ? leg.taking(MediaPath.PUNCH, "relayed first, then direct")
                : leg.taking(MediaPath.RELAY_UDP, "punch not carried out (" + (why == null ? "not attempted" : why)
                + "): relayed");
    }

    /**
     * The share of the answered call's duration its media went direct, 0 to 1; null for a call
     * never answered. A call without a relay was direct throughout.
     *
     * @param directUntil when the media left the direct path again (a phone renegotiated), or null
     */
    public static Double directShare(Instant answeredAt, Instant endedAt, boolean relayed, Instant directFrom,
                                     Instant directUntil) {
        if (answeredAt == null) {
            return null;
        }
        if (!relayed) {
            return 1.0;
        }
        if (directFrom == null) {
            return 0.0;
        }
        long total = Duration.between(answeredAt, endedAt).toMillis();
        Instant until = directUntil == null || directUntil.isAfter(endedAt) ? endedAt : directUntil;
        long direct = Math.max(0, Duration.between(directFrom, until).toMillis());
        return total <= 0 ? 1.0 : Math.min(1.0, (double) direct / total);
    }
}
