package io.pinhole.proxy.call;

import io.pinhole.proxy.edge.EdgeFlows;
import io.pinhole.proxy.edge.EdgeLegs;
import io.pinhole.proxy.keepalive.PingBook;
import io.pinhole.proxy.media.LegCapabilities;
import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.probe.CapabilityBook;
import io.pinhole.proxy.probe.ProbedLegs;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.sip.Flow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the keepalives and the registration probes know about the flows a call's legs use, as the
 * call layer asks it: which of a callee's bindings answer their pings, and what each leg's network
 * lets through (the path planner's input), and which flows are edge agents' connections (what
 * such an agent says of its network stands for its phones'). Reads memory only; never blocks.
 */
final class FlowKnowledge {

    private final PingBook pings;
    private final CapabilityBook capabilities;
    private final BindingCache bindings;
    private final EdgeFlows edges;

    FlowKnowledge(PingBook pings, CapabilityBook capabilities, BindingCache bindings, EdgeFlows edges) {
        this.pings = pings;
        this.capabilities = capabilities;
        this.bindings = bindings;
        this.edges = edges;
    }

    /**
     * The bindings to fork to: those whose pings go unanswered only when no other answers; a binding
     * behind an edge agent over the agent's current connection, none when the agent is gone.
     */
    List<Binding> reachableFirst(List<Binding> live) {
        return pings.preferReachable(edges.follow(live));
    }

    /**
     * The reason phrase of the 480 for a callee with nothing to fork to: it names the edge agent
     * found dead when the callee's bindings are behind one.
     */
    String unavailable(List<Binding> registered) {
        return edges.unreachableBecause(registered).map(why -> "Temporarily Unavailable (" + why + ")")
                .orElse("Temporarily Unavailable");
    }

    /** A callee binding's leg: its NAT verdict and what its edge agent says or its registration's probe found. */
    LegCapabilities callee(Binding binding, NatVerdict nat) {
        return edges.at(binding.flow()).map(edge -> EdgeLegs.capabilities(nat, binding.flow().transport(), edge))
                .orElseGet(() -> ProbedLegs.capabilities(nat, binding.flow().transport(), capabilities.of(binding)));
    }

    /** The caller's leg: the probe of the registration it calls from (same flow), if it registered here. */
    LegCapabilities caller(String addressOfRecord, Flow flow, NatVerdict nat, Instant now) {
        Optional<io.pinhole.proxy.edge.EdgeInfo> edge = edges.at(flow);
        if (edge.isPresent()) {
            return EdgeLegs.capabilities(nat, flow.transport(), edge.get());
        }
        Optional<Binding> registered = bindings.lookup(addressOfRecord, now).stream()
                .filter(b -> b.flow().equals(flow)).findFirst();
        return ProbedLegs.capabilities(nat, flow.transport(), registered.flatMap(capabilities::of));
    }
}
