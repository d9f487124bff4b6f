package io.pinhole.proxy.media;

import java.util.List;

/**
 * The ng options (rtpengine's {@code flags}, {@code replace}, {@code ICE}) an offer or answer for
 * one leg carries, derived from that leg's plan.
 */
public record NgFlags(List<String> flags, List<String> replace, String ice) {

    public NgFlags {
        flags = List.copyOf(flags);
        replace = List.copyOf(replace);
    }

    public static NgFlags forLeg(LegPlan leg) {
        return forLeg(leg.actual(), leg.behindNat());
    }

    /**
     * For a leg relayed over UDP (a PUNCH leg too: it starts relayed): the SDP must name the relay in c= and o= (some phones compare
     * the two); ICE candidates go, or phones would try to reach each other around the relay. A
     * leg behind NAT wrote its private address into the SDP: the relay sends its media where its
     * packets come from instead.
     *
     * @throws IllegalArgumentException for a path no relay carries out yet (a plan that asked for
     *                                  one was already moved to RELAY_UDP), or DIRECT (no relay)
     */
    public static NgFlags forLeg(MediaPath actual, boolean behindNat) {
        if (actual != MediaPath.RELAY_UDP && actual != MediaPath.PUNCH) {
            throw new IllegalArgumentException("no ng options for a " + actual + " leg: only RELAY_UDP and PUNCH legs reach a relay");
        }
        return new NgFlags(behindNat ? List.of("SIP-source-address") : List.of(), List.of("origin", "session-connection"),
                "remove");
    }
}
