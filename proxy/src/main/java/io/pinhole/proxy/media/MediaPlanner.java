package io.pinhole.proxy.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Every media decision of a new call, as one pure function: each fork's paths from the path
 * planner, then what holds for the call as a whole, in this order:
 * <ol>
 *   <li>no fork needs the relay: none is used;</li>
 *   <li>the offer already points only at a trusted relay (another proxy relayed it): no second relay,
 *       every leg DIRECT;</li>
 *   <li>the INVITE has no SDP (late offer): the relay cannot rewrite an offer it never sees, so media
 *       is not relayed (the answer's SDP would be the first the relay hears of the call);</li>
 *   <li>otherwise the call gets the relay, and every fork takes it: the one offer, rewritten once,
 *       goes to all forks, so a fork that planned DIRECT is relayed anyway and its reason names the
 *       fork that needed the relay.</li>
 * </ol>
 * Reasons are kept per leg, so the CDR can say why the answering fork went the way it did.
 */
public final class MediaPlanner {

    private MediaPlanner() {
    }

    public static MediaPlan plan(MediaEvidence evidence, MediaPolicyConfig policy, RelayCapabilities relay) {
        List<PathPlan> pairs = new ArrayList<>();
        for (LegEvidence callee : evidence.callees()) {
            pairs.add(PathPlanner.plan(evidence.caller(), callee, policy, relay));
        }
        int needing = firstRelayed(pairs);
        if (needing < 0) {
            return new MediaPlan(MediaPath.DIRECT, false, pairs.get(0).reason(), pairs);
        }
        String trusted = trustedRelay(evidence.offer(), policy);
        if (trusted != null) {
            return unrelayed(pairs, "offer already on trusted relay " + trusted + ": no second relay");
        }
        if (evidence.offer() == null) {
            return unrelayed(pairs, "INVITE without SDP (late offer), media not relayed");
        }
        String needs = pairs.get(needing).callee().leg() + " needs the relay";
        List<PathPlan> forks = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            PathPlan pair = pairs.get(i);
            forks.add(pair.relayed() ? pair : new PathPlan(
                    relayAnyway(pair.caller(), evidence.caller(), needs, relay),
                    relayAnyway(pair.callee(), evidence.callees().get(i), needs, relay)));
        }
        return new MediaPlan(MediaPath.RELAY_UDP, true, pairs.get(needing).reason(), forks);
    }

    private static int firstRelayed(List<PathPlan> pairs) {
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).relayed()) {
                return i;
            }
        }
        return -1;
    }

    private static LegPlan relayAnyway(LegPlan plan, LegEvidence leg, String needs, RelayCapabilities relay) {
        MediaPath path = PathPlanner.relayed(leg, needs, relay).actual();
        return plan.taking(path, "relayed anyway: one offer serves every fork, and " + needs + ": " + path);
    }

    private static MediaPlan unrelayed(List<PathPlan> pairs, String why) {
        List<PathPlan> forks = pairs.stream().map(p -> new PathPlan(unrelayed(p.caller(), why),
                p.callee() == null ? null : unrelayed(p.callee(), why))).toList();
        return new MediaPlan(MediaPath.DIRECT, true, why, forks);
    }

    private static LegPlan unrelayed(LegPlan plan, String why) {
        return plan.actual() == MediaPath.DIRECT ? plan : plan.taking(MediaPath.DIRECT, why + ": DIRECT");
    }

    /** The offer's addresses when every one (hold's 0.0.0.0 aside) is a trusted relay's, else null. */
    private static String trustedRelay(SdpSummary offer, MediaPolicyConfig policy) {
        if (offer == null || policy.trustedRelays().isEmpty()) {
            return null;
        }
        List<String> addresses = offer.connectionAddresses().stream()
                .filter(a -> !a.equals("0.0.0.0") && !a.equals("::")).distinct().toList();
        return !addresses.isEmpty() && policy.trustedRelays().containsAll(addresses) ? String.join(", ", addresses) : null;
    }
}
