package io.pinhole.proxy.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Seed 004's path planner as a pure function: how the media of one caller-callee pair travels,
 * per leg, from what each leg's network lets through and the operator's policy. The rules, first
 * that applies wins:
 * <ol>
 *   <li>policy {@code never}: DIRECT; policy {@code always}: relayed (each leg over what it can use, as in 3);</li>
 *   <li>both legs probed into one site (LAN): DIRECT;</li>
 *   <li>a leg that cannot send or cannot receive UDP, or whose edge agent carries its media over TCP, TLS
 *       or HTTP: relayed; that leg RELAY_TCP (RELAY_HTTP when only HTTP gets out or its agent chose HTTP), a
 *       leg that can use UDP RELAY_UDP (Table 1: the relay turns one into the other);</li>
 *   <li>neither leg behind NAT: DIRECT;</li>
 *   <li>address- or address-and-port-dependent mapping on a leg behind NAT: RELAY_UDP (its NAT picks a
 *       new port per peer, which the other side cannot know);</li>
 *   <li>anything still unknown: RELAY_UDP, "not probed" (what the proxy did before there were probes:
 *       relay when a leg is behind NAT);</li>
 *   <li>punching switched off, globally or for either leg's domain: RELAY_UDP;</li>
 *   <li>otherwise (endpoint-independent mappings, UDP both ways): PUNCH.</li>
 * </ol>
 * Filtering alone never decides: once both sides send, a hole opens under every filtering
 * behaviour when the mapping is endpoint-independent (RFC 5128 section 3.3). It tells the planner
 * only whether a leg that refused an unsolicited packet still takes replies (see
 * {@link LegCapabilities#udpIn()}).
 *
 * <p>Then each planned path meets the relay's capabilities: a path it does not offer becomes the
 * best one it does, and the reason says so.
 */
public final class PathPlanner {

    private PathPlanner() {
    }

    public static PathPlan plan(LegEvidence caller, LegEvidence callee, MediaPolicyConfig policy,
                                RelayCapabilities relay) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(relay, "relay");
        return switch (policy.mode()) {
            case NEVER -> direct(caller, callee, "policy never relays");
            case ALWAYS -> relayed(caller, callee, join("policy always relays", blocked(caller, callee)), relay);
            case AUTO -> auto(caller, callee, policy, relay);
        };
    }

    private static PathPlan auto(LegEvidence caller, LegEvidence callee, MediaPolicyConfig policy,
                                 RelayCapabilities relay) {
        String site = caller.capabilities().site();
        if (site != null && site.equals(callee.capabilities().site())) {
            return direct(caller, callee, "same LAN (" + site + ")");
        }
        String blocked = blocked(caller, callee);
        if (blocked != null) {
            return relayed(caller, callee, blocked, relay);
        }
        if (!caller.behindNat() && !callee.behindNat()) {
            return direct(caller, callee, "both legs public");
        }
        String dependent = dependentMapping(caller, callee);
        if (dependent != null) {
            return relayed(caller, callee, dependent, relay);
        }
        String unknown = notProbed(caller, callee);
        if (unknown != null) {
            return relayed(caller, callee, unknown, relay);
        }
        String punchable = punchable(caller, callee);
        String off = policy.punchingOff(caller.domain(), callee.domain());
        if (off != null) {
            return relayed(caller, callee, punchable + ", but " + off, relay);
        }
        return new PathPlan(punched(caller, punchable, relay), punched(callee, punchable, relay));
    }

    /** Why either leg cannot use UDP (Table 1's "receive TCP" / "send TCP"), or null. */
    private static String blocked(LegEvidence caller, LegEvidence callee) {
        // planned for every fork of every call, and nearly always null: no list for that
        String first = blocked(caller);
        String second = blocked(callee);
        if (first == null || second == null) {
            return first == null ? second : first;
        }
        return first + "; " + second;
    }

    private static String blocked(LegEvidence leg) {
        LegCapabilities c = leg.capabilities();
        if (c.edgeMedia() != null && c.edgeMedia().stream()) {
            // the agent asked for it, from its own probe or its operator: it knows its firewall best
            return leg.name() + "'s edge agent carries its media over " + c.edgeMedia().wire();
        }
        if (c.httpOnly()) {
            return leg.name() + " gets only HTTP out";
        }
        Ability out = c.udpOut();
        Ability in = c.udpIn();
        if (out != Ability.NO && in != Ability.NO) {
            return null;
        }
        String what = out == Ability.NO && in == Ability.NO ? "cannot send or receive UDP"
                : out == Ability.NO ? "cannot send UDP" : "cannot receive UDP";
        if (in == Ability.NO && c.filtering() == NatBehaviour.ENDPOINT_INDEPENDENT) {
            what += " (though its filtering tested endpoint-independent)";
        }
        return leg.name() + " " + what;
    }

    private static String dependentMapping(LegEvidence caller, LegEvidence callee) {
        List<String> dependent = new ArrayList<>();
        for (LegEvidence leg : List.of(caller, callee)) {
            NatBehaviour mapping = leg.capabilities().mapping();
            if (leg.behindNat() && mapping.known() && mapping != NatBehaviour.ENDPOINT_INDEPENDENT) {
                dependent.add(mapping.words() + " mapping on " + leg.name());
            }
        }
        return dependent.isEmpty() ? null
                : String.join(", ", dependent) + ": its NAT picks a new port per peer, which the other side cannot know";
    }

    /**
     * What is missing for a punch, or null: a leg behind NAT not (fully) probed says it all, as it
     * always did; a public leg's unprobed UDP matters only when the NATed side was probed.
     */
    private static String notProbed(LegEvidence caller, LegEvidence callee) {
        List<String> natted = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (LegEvidence leg : List.of(caller, callee)) {
            LegCapabilities c = leg.capabilities();
            boolean udpUnknown = c.udpOut() == Ability.UNKNOWN || c.udpIn() == Ability.UNKNOWN;
            if (leg.behindNat() && (udpUnknown || !c.mapping().known())) {
                boolean probed = c.sendsUdp() != Ability.UNKNOWN || c.receivesUdp() != Ability.UNKNOWN
                        || c.mapping().known() || c.filtering().known();
                natted.add(leg.name() + " behind NAT, "
                        + (!probed ? "not probed" : !c.mapping().known() ? "its NAT's mapping not known" : "its UDP not known"));
            } else if (udpUnknown) {
                open.add(leg.name() + "'s UDP not probed");
            }
        }
        List<String> gaps = natted.isEmpty() ? open : natted;
        return gaps.isEmpty() ? null : String.join("; ", gaps);
    }

    private static String punchable(LegEvidence caller, LegEvidence callee) {
        List<String> natted = Stream.of(caller, callee).filter(LegEvidence::behindNat).map(LegEvidence::name).toList();
        List<String> open = Stream.of(caller, callee).filter(l -> !l.behindNat()).map(l -> l.name() + " public").toList();
        return "endpoint-independent mapping on " + String.join(" and ", natted)
                + (open.isEmpty() ? "" : ", " + String.join(", ", open)) + ", UDP both ways";
    }

    private static PathPlan direct(LegEvidence caller, LegEvidence callee, String why) {
        return new PathPlan(direct(caller, why), direct(callee, why));
    }

    private static LegPlan direct(LegEvidence leg, String why) {
        return new LegPlan(leg.name(), leg.behindNat(), MediaPath.DIRECT, MediaPath.DIRECT, why + ": DIRECT");
    }

    private static PathPlan relayed(LegEvidence caller, LegEvidence callee, String why, RelayCapabilities relay) {
        return new PathPlan(relayed(caller, why, relay), relayed(callee, why, relay));
    }

    /** A relayed leg: over UDP when it can, else TCP or HTTP; the relay's best stand-in when it lacks that. */
    static LegPlan relayed(LegEvidence leg, String why, RelayCapabilities relay) {
        LegCapabilities c = leg.capabilities();
        MediaPath planned = c.httpOnly() || c.edgeMedia() == MediaTransport.HTTP
                || (blocked(leg) != null && c.webSocketOnly()) ? MediaPath.RELAY_HTTP
                : blocked(leg) != null ? MediaPath.RELAY_TCP : MediaPath.RELAY_UDP;
        String reason = why;
        if (planned == MediaPath.RELAY_HTTP && !c.httpOnly() && c.edgeMedia() != MediaTransport.HTTP) {
            reason += "; " + leg.name() + "'s SIP comes over WebSocket only";
        }
        LegPlan plan = new LegPlan(leg.name(), leg.behindNat(), planned, planned, reason + ": " + planned,
                c.edgeMedia(), c.edgeUdpUp() ? MediaTransport.UDP : null);
        MediaPath actual = relay.best(planned);
        return actual == planned ? plan
                : plan.taking(actual, "needs " + planned.medium() + " media; relay offers " + relay.describe() + ": " + actual);
    }

    private static LegPlan punched(LegEvidence leg, String why, RelayCapabilities relay) {
        LegPlan plan = new LegPlan(leg.name(), leg.behindNat(), MediaPath.PUNCH, MediaPath.PUNCH, why + ": PUNCH");
        return relay.offers().contains(MediaPath.PUNCH) ? plan
                : plan.taking(relay.best(MediaPath.PUNCH), "punch planned, not yet supported: relayed");
    }

    private static String join(String first, String second) {
        return second == null ? first : first + "; " + second;
    }
}
