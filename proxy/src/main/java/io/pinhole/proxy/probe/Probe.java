package io.pinhole.proxy.probe;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;

/** One flow being probed. The probe's scheduler thread owns it, but for the two answered flags. */
final class Probe {

    final long id;
    final Binding binding;
    final NatVerdict nat;
    final long dueMillis;
    long sentMillis;
    volatile boolean answeredOnFlow;
    volatile boolean answeredUnsolicited;

    Probe(long id, Binding binding, NatVerdict nat, long dueMillis) {
        this.id = id;
        this.binding = binding;
        this.nat = nat;
        this.dueMillis = dueMillis;
    }
}
