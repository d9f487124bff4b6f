package io.pinhole.proxy.cluster;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryDecisionTest {

    private static final PeerAddress A = PeerAddress.parse("a", "sip:10.0.0.1:5060");
    private static final PeerAddress B = PeerAddress.parse("b", "sip:10.0.0.2:5060");
    /** This proxy is A; B is its peer. */
    private static final ClusterView AT_A = new ClusterView(A, List.of(B));

    private static Binding binding(String key, String owner) {
        return new Binding(1, "alice@example.org", key, "sip:alice@192.168.1.5:5060", "cid", 1, null, 600,
                Instant.parse("2030-01-01T00:00:00Z"), new Flow("203.0.113.9", 40000, "UDP"), null, null, "phone", owner);
    }

    @Test
    void ownFlowIsDeliveredHere() {
        Binding here = binding("k1", null);

        assertThat(DeliveryDecision.decide(List.of(here), AT_A, Optional.empty()))
                .isEqualTo(new Delivery.Local(List.of(here)));
    }

    @Test
    void ownFlowWinsOverAPeersAndOnlyOwnFlowsAreForked() {
        Binding there = binding("k2", B.uri());
        Binding here = binding("k1", null);

        assertThat(DeliveryDecision.decide(List.of(there, here), AT_A, Optional.empty()))
                .isEqualTo(new Delivery.Local(List.of(here)));
    }

    @Test
    void flowAtAPeerIsForwardedThere() {
        assertThat(DeliveryDecision.decide(List.of(binding("k1", B.uri())), AT_A, Optional.empty()))
                .isEqualTo(new Delivery.Forward(B));
    }

    @Test
    void ownerThatIsNoPeerMakesTheCalleeUnreachableAndSaysWhy() {
        Delivery delivery = DeliveryDecision.decide(List.of(binding("k1", "sip:10.9.9.9:5060")), AT_A, Optional.empty());

        assertThat(delivery).isInstanceOf(Delivery.Unreachable.class);
        assertThat(((Delivery.Unreachable) delivery).why()).contains("sip:10.9.9.9:5060").contains("pinhole.cluster.peers");
    }

    @Test
    void firstOwnerThatIsAPeerIsChosen() {
        assertThat(DeliveryDecision.decide(List.of(binding("k1", "sip:10.9.9.9:5060"), binding("k2", B.uri())), AT_A,
                Optional.empty())).isEqualTo(new Delivery.Forward(B));
    }

    @Test
    void callFromAPeerIsNeverForwardedAgain() {
        Delivery delivery = DeliveryDecision.decide(List.of(binding("k1", B.uri())), AT_A, Optional.of(B));

        assertThat(delivery).isInstanceOf(Delivery.Unreachable.class);
        assertThat(((Delivery.Unreachable) delivery).why()).contains("came from peer sip:10.0.0.2:5060");
    }

    @Test
    void callFromAPeerIsDeliveredOverOwnFlows() {
        Binding here = binding("k1", null);

        assertThat(DeliveryDecision.decide(List.of(here), AT_A, Optional.of(B))).isEqualTo(new Delivery.Local(List.of(here)));
    }

    @Test
    void noBindingIsUnreachable() {
        assertThat(DeliveryDecision.decide(List.of(), AT_A, Optional.empty()))
                .isEqualTo(new Delivery.Unreachable("no live binding"));
    }

    @Test
    void withoutAClusterEveryStoredBindingIsOwn() {
        ClusterView single = ClusterView.single();
        Binding legacy = binding("k1", single.foreignOwner(null));

        assertThat(DeliveryDecision.decide(List.of(legacy), single, Optional.empty()))
                .isEqualTo(new Delivery.Local(List.of(legacy)));
    }

    @Test
    void storedOwnerNamingThisProxyIsOwn() {
        assertThat(AT_A.foreignOwner("sip:10.0.0.1:5060")).isNull();
        assertThat(AT_A.foreignOwner(null)).isNull();
        assertThat(AT_A.foreignOwner("sip:10.0.0.2:5060")).isEqualTo("sip:10.0.0.2:5060");
    }

    @Test
    void peerIsRecognisedByItsUdpSourceAddressAndPortOnly() {
        assertThat(AT_A.peerAt(new Flow("10.0.0.2", 5060, "UDP"))).contains(B);
        assertThat(AT_A.peerAt(new Flow("10.0.0.2", 5062, "UDP"))).isEmpty(); // a phone on the peer's host
        assertThat(AT_A.peerAt(new Flow("10.0.0.2", 5060, "TCP"))).isEmpty();
        assertThat(AT_A.peerAt(new Flow("10.0.0.3", 5060, "UDP"))).isEmpty();
    }
}
