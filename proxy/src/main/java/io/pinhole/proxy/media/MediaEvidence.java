package io.pinhole.proxy.media;

import java.util.List;
import java.util.Objects;

/**
 * What a new call's media decision rests on.
 *
 * @param caller  the caller's leg
 * @param callees one leg per fork (binding), or one standing for whichever redirect target answers
 * @param offer   the caller's SDP; null when the INVITE has none (late offer)
 */
public record MediaEvidence(LegEvidence caller, List<LegEvidence> callees, SdpSummary offer) {

    public MediaEvidence {
        Objects.requireNonNull(caller, "caller");
        callees = List.copyOf(callees);
        if (callees.isEmpty()) {
            throw new IllegalArgumentException("a call has at least one callee leg");
        }
    }
}
