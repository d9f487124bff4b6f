package io.pinhole.proxy.cluster;

import io.pinhole.proxy.sip.Flow;

import java.util.List;
import java.util.Optional;

/**
 * This proxy and its peers, as the settings name them: who owns a binding, and whether a request
 * came from a peer.
 *
 * @param self null when no cluster is configured
 */
public record ClusterView(PeerAddress self, List<PeerAddress> peers) {

    public ClusterView {
        peers = List.copyOf(peers);
    }

    public static ClusterView single() {
        return new ClusterView(null, List.of());
    }

    public boolean enabled() {
        return self != null;
    }

    /** What this proxy writes as the owner of its bindings: null without a cluster. */
    public String ownerName() {
        return self == null ? null : self.uri();
    }

    /** The peer that sent a request arriving along {@code source}, if one did. */
    public Optional<PeerAddress> peerAt(Flow source) {
        return peers.stream().filter(p -> p.sent(source)).findFirst();
    }

    /** The peer whose owner name is {@code owner}, if it is one of ours. */
    public Optional<PeerAddress> peerNamed(String owner) {
        return peers.stream().filter(p -> p.uri().equals(owner)).findFirst();
    }

    /**
     * A stored owner as this proxy holds it in memory: null for its own bindings (and for those
     * written without a cluster address), else the owner's name.
     */
    public String foreignOwner(String stored) {
        return stored == null || stored.equals(ownerName()) ? null : stored;
    }
}
