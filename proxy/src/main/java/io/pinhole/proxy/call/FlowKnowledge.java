package io.pinhole.proxy.call;

import io.pinhole.proxy.keepalive.PingBook;
import io.pinhole.proxy.media.LegCapabilities;
import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.probe.CapabilityBook;
import io.pinhole.proxy.probe.ProbedLegs;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.registrar.Flow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the keepalives and the registration probes know about the flows a call's legs use, as the
 * call layer asks it: which of a callee's bindings answer their pings, and what each leg's network
 * lets through (the path planner's input). Reads memory only; never blocks.
 */
final class FlowKnowledge {

    private final PingBook pings;
    private final CapabilityBook capabilities;
    private final BindingCache bindings;

    FlowKnowledge(PingBook pings, CapabilityBook capabilities, BindingCache bindings) {
        this.pings = pings;
        this.capabilities = capabilities;
        this.bindings = bindings;
    }

    /** The bindings to fork to: those whose pings go unanswered only when no other answers. */
    List<Binding> reachableFirst(List<Binding> live) {
        return pings.preferReachable(live);
    }

    /** A callee binding's leg: its NAT verdict and what its registration's probe found. */
    LegCapabilities callee(Binding binding, NatVerdict nat) {
        return ProbedLegs.capabilities(nat, binding.flow().transport(), capabilities.of(binding));
    }

    /** The caller's leg: the probe of the registration it calls from (same flow), if it registered here. */
    LegCapabilities caller(String addressOfRecord, Flow flow, NatVerdict nat, Instant now) {
        Optional<Binding> registered = bindings.lookup(addressOfRecord, now).stream()
                .filter(b -> b.flow().equals(flow)).findFirst();
        return ProbedLegs.capabilities(nat, flow.transport(), registered.flatMap(capabilities::of));
    }
}
