package io.pinhole.proxy.probe;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.FlowKey;

import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the probes found per registered flow ({@link Binding#flowKey()}), and the flows
 * waiting to be probed. The registrar hands it every binding it stores; the probe works them
 * off; the admin API, the call layer and the CDR read the results.
 *
 * <p>With the probe disabled nothing works the flows off, so none is taken: every REGISTER
 * would otherwise stay in memory for as long as the proxy runs.
 */
public final class CapabilityBook {

    private final boolean probing;
    private final Queue<Binding> intake = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<FlowKey, Capabilities> byFlow = new ConcurrentHashMap<>();

    /** @param probing whether a probe works off the tracked flows ({@code pinhole.probe.enabled}) */
    public CapabilityBook(boolean probing) {
        this.probing = probing;
    }

    /** A binding the registrar stored (new, refreshed or loaded). */
    public void track(Binding binding) {
        if (probing) {
            intake.add(binding);
        }
    }

    Binding nextTracked() {
        return intake.poll();
    }

    void put(FlowKey flow, Capabilities capabilities) {
        byFlow.put(flow, capabilities);
    }

    void putAll(Map<FlowKey, Capabilities> known) {
        byFlow.putAll(known);
    }

    boolean known(FlowKey flow) {
        return byFlow.containsKey(flow);
    }

    void retainOnly(Set<FlowKey> liveFlows) {
        byFlow.keySet().retainAll(liveFlows);
    }

    public Optional<Capabilities> of(Binding binding) {
        return Optional.ofNullable(byFlow.get(binding.flowKey()));
    }

    public int size() {
        return byFlow.size();
    }
}
