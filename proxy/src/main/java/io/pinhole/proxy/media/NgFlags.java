package io.pinhole.proxy.media;

import java.util.List;

/**
 * The ng options (rtpengine's {@code flags}, {@code replace}) an offer or answer for one leg
 * carries (the {@code ICE} option is the same for every leg: {@link IcePolicy}), derived from that leg's plan, and the relay's {@code media-transport} for it.
 *
 * @param mediaTransport {@code tcp}, {@code tls} or {@code http} for a leg whose media goes over one of
 *                       the relay's stream connections (the reply then carries its token), null for UDP
 */
public record NgFlags(List<String> flags, List<String> replace, String mediaTransport) {

    public NgFlags {
        flags = List.copyOf(flags);
        replace = List.copyOf(replace);
    }

    public static NgFlags forLeg(LegPlan leg) {
        return forLeg(leg.actual(), leg.behindNat(), leg.transport());
    }

    /** As {@link #forLeg(MediaPath, boolean, MediaTransport)}, with the transport the path alone implies. */
    public static NgFlags forLeg(MediaPath actual, boolean behindNat) {
        return forLeg(actual, behindNat, null);
    }

    /**
     * For a relayed leg (a PUNCH leg too: it starts relayed): the SDP must name the relay in c= and
     * o= (some phones compare the two). A leg behind NAT wrote its private address into the SDP: the relay sends its
     * media where its packets come from instead. A RELAY_TCP or RELAY_HTTP leg adds
     * {@code media-transport} (its transport as {@link MediaTransport#carrying} gives it): the SDP is
     * rewritten as for UDP, since the leg's other side sends there.
     *
     * @throws IllegalArgumentException for DIRECT (no relay)
     */
    public static NgFlags forLeg(MediaPath actual, boolean behindNat, MediaTransport preferred) {
        if (actual == MediaPath.DIRECT) {
            throw new IllegalArgumentException("no ng options for a DIRECT leg: it reaches no relay");
        }
        MediaTransport transport = MediaTransport.carrying(actual, preferred);
        return new NgFlags(behindNat ? List.of("SIP-source-address") : List.of(), List.of("origin", "session-connection"),
                transport.stream() ? transport.wire() : null);
    }
}
