package io.pinhole.proxy.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * Several proxies on one database ({@code pinhole.cluster.*}).
 *
 * @param address this proxy's own SIP address as its peers reach it (sip:IP:port, UDP), stored
 *                as the owner of every binding registered here; empty = no cluster (every
 *                binding is taken as this proxy's own, as with a single proxy)
 * @param peers   the other proxies' addresses: calls for phones registered through them are sent
 *                there, and their requests are trusted (delivered over our flows without a
 *                digest challenge, never sent on anywhere else)
 */
@Validated
@ConfigurationProperties("pinhole.cluster")
public record ClusterProperties(@DefaultValue("") String address, @DefaultValue("") List<String> peers) {

    public ClusterProperties {
        peers = peers == null ? List.of() : List.copyOf(peers.stream().filter(p -> !p.isBlank()).toList());
        view(address, peers); // fails start-up with the setting's name
    }

    public ClusterView view() {
        return view(address, peers);
    }

    private static ClusterView view(String address, List<String> peers) {
        if (address == null || address.isBlank()) {
            if (!peers.isEmpty()) {
                throw new IllegalArgumentException("pinhole.cluster.peers is set but pinhole.cluster.address is empty: "
                        + "the peers need this proxy's address to send its calls here");
            }
            return ClusterView.single();
        }
        PeerAddress self = PeerAddress.parse("pinhole.cluster.address", address);
        java.util.List<PeerAddress> parsed = new java.util.ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            PeerAddress peer = PeerAddress.parse("pinhole.cluster.peers[" + i + "]", peers.get(i));
            if (peer.equals(self)) {
                throw new IllegalArgumentException("pinhole.cluster.peers[" + i + "] is this proxy's own address "
                        + self.uri() + " (pinhole.cluster.address)");
            }
            parsed.add(peer);
        }
        return new ClusterView(self, parsed);
    }
}
