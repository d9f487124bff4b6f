package io.pinhole.proxy.probe;

import io.pinhole.proxy.media.Ability;
import io.pinhole.proxy.media.LegCapabilities;
import io.pinhole.proxy.media.NatBehaviour;
import io.pinhole.proxy.nat.NatVerdict;

import java.util.Optional;
import java.util.Set;

/**
 * What a registration's probe found, in the path planner's terms: a pure translation. The
 * probe's words are kept conservative where RFC 4787 has finer ones: a packet from another port
 * of ours getting in proves the filter is not port-dependent, not that it is endpoint-independent,
 * so it counts as address-dependent; a NAT that changed the phone's port may still map
 * endpoint-independently, but nothing proves it, so it stays unknown (and the call is relayed).
 */
public final class ProbedLegs {

    private ProbedLegs() {
    }

    public static LegCapabilities capabilities(NatVerdict nat, String transport, Optional<Capabilities> probed) {
        if (probed.isEmpty()) {
            return LegCapabilities.notProbed(nat, Set.of(transport));
        }
        Capabilities c = probed.get();
        Ability sends = c.sendsUdp() ? Ability.YES : Ability.UNKNOWN; // SIP over TCP says nothing about UDP media
        Boolean unsolicited = c.unsolicitedUdp();
        Ability receives = unsolicited == null ? Ability.UNKNOWN : unsolicited ? Ability.YES : Ability.NO;
        return new LegCapabilities(nat, sends, receives, mapping(c.mapping()), filtering(c.filtering()), Set.of(transport),
                null, false);
    }

    static NatBehaviour mapping(Mapping mapping) {
        return switch (mapping) {
            case NONE, ENDPOINT_INDEPENDENT -> NatBehaviour.ENDPOINT_INDEPENDENT;
            case UNKNOWN -> NatBehaviour.UNKNOWN;
        };
    }

    static NatBehaviour filtering(Filtering filtering) {
        return switch (filtering) {
            case NONE -> NatBehaviour.ENDPOINT_INDEPENDENT;
            case PORT_INDEPENDENT -> NatBehaviour.ADDRESS_DEPENDENT;
            case ADDRESS_AND_PORT_DEPENDENT -> NatBehaviour.ADDRESS_AND_PORT_DEPENDENT;
            case UNKNOWN -> NatBehaviour.UNKNOWN;
        };
    }
}
