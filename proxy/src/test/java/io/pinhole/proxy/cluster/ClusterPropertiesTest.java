package io.pinhole.proxy.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterPropertiesTest {

    @Test
    void emptyMeansNoCluster() {
        assertThat(new ClusterProperties("", List.of()).view().enabled()).isFalse();
    }

    @Test
    void readsAddressAndPeersInOneSpelling() {
        ClusterView view = new ClusterProperties("SIP:127.0.0.1:5070", List.of("sip:127.0.0.1:5080;transport=udp",
                "sip:[::1]:5090")).view();

        assertThat(view.ownerName()).isEqualTo("sip:127.0.0.1:5070");
        assertThat(view.peers()).extracting(PeerAddress::uri).containsExactly("sip:127.0.0.1:5080", "sip:[0:0:0:0:0:0:0:1]:5090");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:5070", "sip:proxy-a.example:5060", "sip:127.0.0.1", "sip:127.0.0.1:0",
            "sip:127.0.0.1:70000", "sip:127.0.0.1:5060;transport=tcp", "sips:127.0.0.1:5061"})
    void badAddressFailsWithTheSettingsName(String address) {
        assertThatThrownBy(() -> new ClusterProperties(address, List.of()))
                .hasMessageContaining("pinhole.cluster.address");
    }

    @Test
    void badPeerFailsWithItsIndex() {
        assertThatThrownBy(() -> new ClusterProperties("sip:127.0.0.1:5070", List.of("sip:127.0.0.1:5080", "nonsense")))
                .hasMessageContaining("pinhole.cluster.peers[1]");
    }

    @Test
    void ownAddressIsNoPeer() {
        assertThatThrownBy(() -> new ClusterProperties("sip:127.0.0.1:5070", List.of("sip:127.0.0.1:5070")))
                .hasMessageContaining("pinhole.cluster.peers[0]").hasMessageContaining("own address");
    }

    @Test
    void peersWithoutOwnAddressAreRefused() {
        assertThatThrownBy(() -> new ClusterProperties("", List.of("sip:127.0.0.1:5080")))
                .hasMessageContaining("pinhole.cluster.address");
    }
}
