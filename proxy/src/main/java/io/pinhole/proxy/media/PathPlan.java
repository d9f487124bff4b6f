package io.pinhole.proxy.media;

import java.util.Objects;

/**
 * The paths of one caller-callee pair.
 *
 * @param callee null when the call had several callee legs and none answered: only the caller's
 *               path is known then
 */
public record PathPlan(LegPlan caller, LegPlan callee) {

    public PathPlan {
        Objects.requireNonNull(caller, "caller");
    }

    /** Whether either leg's media goes through a relay of ours (a punched call is relayed first). */
    public boolean relayed() {
        return caller.actual() != MediaPath.DIRECT || (callee != null && callee.actual() != MediaPath.DIRECT);
    }

    /** Both legs' reasons in one line (once when they are the same), for the CDR. */
    public String reason() {
        if (callee == null || callee.reason().equals(caller.reason())) {
            return caller.reason();
        }
        return "caller: " + caller.reason() + " | callee: " + callee.reason();
    }
}
