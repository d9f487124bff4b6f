package io.pinhole.proxy.call;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;

/**
 * Where one forked INVITE goes: its Request-URI, the flow that reaches it, and what we know of
 * NAT on that flow. A registered binding is one; so are a redirect target's resolved hop and the
 * proxy of the cluster that holds the callee's flow.
 */
record Destination(String requestUri, Flow flow, NatVerdict nat) {

    /** A binding of the callee, reached over the flow it registered over. */
    static Destination of(Binding binding, NatVerdict nat) {
        return new Destination(binding.contactUri(), binding.flow(), nat);
    }

    /** A proxy or trunk (a redirect target's hop, a peer of the cluster): public, no NAT evidence. */
    static Destination server(String requestUri, Flow flow) {
        return new Destination(requestUri, flow, NatVerdict.PUBLIC);
    }
}
