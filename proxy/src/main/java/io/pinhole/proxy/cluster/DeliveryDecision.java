package io.pinhole.proxy.cluster;

import io.pinhole.proxy.registrar.Binding;

import java.util.List;
import java.util.Optional;

/**
 * Who delivers a call, from the callee's live bindings and where the request came from (RFC 5626
 * §5.3 and RFC 3327 in spirit: a request reaches a phone only over the flow it registered on,
 * which only the proxy it registered through holds).
 */
public final class DeliveryDecision {

    private DeliveryDecision() {
    }

    /**
     * @param live     the callee's live bindings, this proxy's ({@link Binding#owner()} null) and
     *                 other proxies'
     * @param cluster  this proxy and its peers
     * @param fromPeer the peer that sent the request, empty when a phone or a stranger did
     */
    public static Delivery decide(List<Binding> live, ClusterView cluster, Optional<PeerAddress> fromPeer) {
        List<Binding> local = live.stream().filter(b -> b.owner() == null).toList();
        if (!local.isEmpty()) {
            return new Delivery.Local(local);
        }
        if (live.isEmpty()) {
            return new Delivery.Unreachable("no live binding");
        }
        if (fromPeer.isPresent()) {
            // One hop only: a peer's request is delivered over our own flows or not at all, so two
            // proxies with different views of a binding cannot pass a call back and forth.
            return new Delivery.Unreachable("the call came from peer " + fromPeer.get().uri()
                    + " but the callee's flow is at " + owners(live) + ", not here");
        }
        for (Binding binding : live) {
            Optional<PeerAddress> owner = cluster.peerNamed(binding.owner());
            if (owner.isPresent()) {
                return new Delivery.Forward(owner.get());
            }
        }
        return new Delivery.Unreachable("the callee registered through " + owners(live)
                + ", which is not in pinhole.cluster.peers");
    }

    private static String owners(List<Binding> live) {
        return String.join(", ", live.stream().map(Binding::owner).distinct().toList());
    }
}
