package io.pinhole.proxy.edge;

import io.pinhole.proxy.media.Ability;
import io.pinhole.proxy.media.LegCapabilities;
import io.pinhole.proxy.media.MediaTransport;
import io.pinhole.proxy.media.NatBehaviour;
import io.pinhole.proxy.nat.NatVerdict;

import java.util.Set;

/**
 * A leg behind an edge agent in the path planner's terms: a pure translation of what the agent
 * said. Its {@code media} decides the path (tcp/tls: RELAY_TCP, http: RELAY_HTTP); its UDP probe
 * results stand for the leg's own, since the agent anchors its phones' media; {@code up=udp} marks
 * a leg whose media goes up over UDP while its stream brings it down. Its NAT's mapping
 * is not known (the agent does not probe it), so a leg on {@code media=udp} behind NAT is relayed.
 */
public final class EdgeLegs {

    private EdgeLegs() {
    }

    public static LegCapabilities capabilities(NatVerdict nat, String sipTransport, EdgeInfo edge) {
        return new LegCapabilities(nat, edge.udpOut() ? Ability.YES : Ability.NO, edge.udpIn() ? Ability.YES : Ability.NO,
                NatBehaviour.UNKNOWN, NatBehaviour.UNKNOWN, Set.of(sipTransport), null, false, edge.media(),
                edge.up() == MediaTransport.UDP && edge.media().stream());
    }
}
