package io.pinhole.proxy.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The call layer's view of the cluster: whether a request came from a peer, and who delivers a
 * call ({@link DeliveryDecision}), counted, with one log line when a registered callee cannot be
 * reached from here.
 */
public final class ClusterRouting {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRouting.class);

    private final ClusterView view;
    private final Counter forwarded;
    private final Counter unreachable;
    private final Counter fromPeers;

    public ClusterRouting(ClusterView view, MeterRegistry meters) {
        this.view = view;
        this.forwarded = Counter.builder("pinhole.cluster.forwards").tag("outcome", "forwarded")
                .description("calls sent to the proxy of the cluster that holds the callee's flow").register(meters);
        this.unreachable = Counter.builder("pinhole.cluster.forwards").tag("outcome", "unreachable")
                .description("calls for a callee registered only through a proxy that is no peer, or bounced by a peer")
                .register(meters);
        this.fromPeers = Counter.builder("pinhole.cluster.forwards").tag("outcome", "received")
                .description("calls a peer sent here to be delivered over this proxy's flows").register(meters);
    }

    /** The peer a request came from (trusted to have authenticated its caller), empty for anyone else. */
    public Optional<PeerAddress> peerAt(Flow source) {
        return view.enabled() ? view.peerAt(source) : Optional.empty();
    }

    public Delivery deliver(List<Binding> live, Optional<PeerAddress> fromPeer, String callee, String callId) {
        Delivery delivery = DeliveryDecision.decide(live, view, fromPeer);
        if (fromPeer.isPresent()) {
            fromPeers.increment();
        }
        if (delivery instanceof Delivery.Forward forward) {
            forwarded.increment();
            LOG.debug("call {}: {} registered through {}, forwarding there", callId, callee, forward.owner());
        } else if (delivery instanceof Delivery.Unreachable why && !live.isEmpty()) {
            unreachable.increment();
            LOG.info("call {}: {} unreachable from here: {}", callId, callee, why.why());
        }
        return delivery;
    }
}
