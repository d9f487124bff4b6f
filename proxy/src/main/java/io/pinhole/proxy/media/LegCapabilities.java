package io.pinhole.proxy.media;

import io.pinhole.proxy.nat.NatVerdict;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one leg's network lets through, as far as the proxy knows: the inputs of the path
 * planner (seed 004's "send UDP / receive UDP" per client, RFC 4787's NAT behaviours).
 *
 * @param nat          the NAT verdict from the leg's own SIP (always known)
 * @param sendsUdp     whether UDP from the leg reaches the Internet (a probe's packet arrived)
 * @param receivesUdp  whether UDP sent to the leg, unsolicited, from another address of ours arrives
 * @param mapping      its NAT's mapping behaviour; known only when the leg's UDP reached us (the
 *                     mapping tests are the leg sending UDP)
 * @param filtering    its NAT's filtering behaviour; known only when UDP answers reached the leg (the
 *                     filtering tests need them), so a known filtering means replies get in even when
 *                     unsolicited packets do not
 * @param sipTransports the transports its SIP arrives over (UDP, TCP, TLS, WS, WSS)
 * @param site         the network a probe placed the leg in (two legs in one site reach each other
 *                     directly); null when not probed. One public address is no proof of one LAN:
 *                     carrier-grade NAT puts whole towns behind one
 * @param httpOnly     only HTTP(S) gets out of the leg's network, as a probe or an edge agent there says
 * @param edgeMedia    the transport the leg's edge agent carries its media over ({@code Pinhole-Edge: media=}),
 *                     null when the leg is no edge agent's
 * @param edgeUdpUp    the leg's edge agent sends its media up over UDP and {@code edgeMedia} brings only
 *                     the return media down ({@code Pinhole-Edge: up=udp}: UDP gets out of its network,
 *                     not in)
 */
public record LegCapabilities(NatVerdict nat, Ability sendsUdp, Ability receivesUdp, NatBehaviour mapping,
                              NatBehaviour filtering, Set<String> sipTransports, String site, boolean httpOnly,
                              MediaTransport edgeMedia, boolean edgeUdpUp) {

    /** A leg whose edge agent (if any) carries its media both ways over {@code edgeMedia}. */
    public LegCapabilities(NatVerdict nat, Ability sendsUdp, Ability receivesUdp, NatBehaviour mapping,
                           NatBehaviour filtering, Set<String> sipTransports, String site, boolean httpOnly,
                           MediaTransport edgeMedia) {
        this(nat, sendsUdp, receivesUdp, mapping, filtering, sipTransports, site, httpOnly, edgeMedia, false);
    }

    /** A leg without an edge agent. */
    public LegCapabilities(NatVerdict nat, Ability sendsUdp, Ability receivesUdp, NatBehaviour mapping,
                           NatBehaviour filtering, Set<String> sipTransports, String site, boolean httpOnly) {
        this(nat, sendsUdp, receivesUdp, mapping, filtering, sipTransports, site, httpOnly, null);
    }

    public LegCapabilities {
        Objects.requireNonNull(nat, "nat");
        Objects.requireNonNull(sendsUdp, "sendsUdp");
        Objects.requireNonNull(receivesUdp, "receivesUdp");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(filtering, "filtering");
        // one transport on nearly every call's legs: no stream for it (built for each leg of each call)
        sipTransports = sipTransports.size() == 1 ? Set.of(sipTransports.iterator().next().toUpperCase(Locale.ROOT))
                : sipTransports.stream().map(t -> t.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** All the proxy knows before any probe: the NAT verdict and how its SIP came. */
    public static LegCapabilities notProbed(NatVerdict nat, Set<String> sipTransports) {
        return new LegCapabilities(nat, Ability.UNKNOWN, Ability.UNKNOWN, NatBehaviour.UNKNOWN, NatBehaviour.UNKNOWN,
                sipTransports, null, false);
    }

    /**
     * Whether the leg can send UDP media: as probed, else yes when its mapping was probed (that
     * probe is the leg sending UDP to us).
     */
    Ability udpOut() {
        if (sendsUdp != Ability.UNKNOWN) {
            return sendsUdp;
        }
        return mapping.known() ? Ability.YES : Ability.UNKNOWN;
    }

    /**
     * Whether UDP reaches the leg once it has sent first, which is all a relay or a punched hole
     * needs. An unsolicited packet from another address is dropped by address-dependent filtering
     * by design; the filtering test itself got its answers over UDP, so replies get in. Endpoint-
     * independent filtering should have let the unsolicited packet in: when it did not, the two
     * probes disagree and the leg is taken as blocked (TCP always works).
     */
    Ability udpIn() {
        if (receivesUdp == Ability.YES) {
            return Ability.YES;
        }
        if (receivesUdp == Ability.NO) {
            return filtering.known() && filtering != NatBehaviour.ENDPOINT_INDEPENDENT ? Ability.YES : Ability.NO;
        }
        return filtering.known() ? Ability.YES : Ability.UNKNOWN;
    }

    /** SIP over WebSocket only: HTTP is the one thing known to get out. */
    boolean webSocketOnly() {
        return !sipTransports.isEmpty() && sipTransports.stream().allMatch(t -> t.equals("WS") || t.equals("WSS"));
    }
}
