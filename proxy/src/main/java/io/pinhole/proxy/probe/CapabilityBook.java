package io.pinhole.proxy.probe;

import io.pinhole.proxy.registrar.Binding;

import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the probes found per registered flow ({@link Binding#flowIdentity()}), and the flows
 * waiting to be probed. The registrar hands it every binding it stores; the probe works them
 * off; the admin API, the call layer and the CDR read the results.
 *
 * <p>With the probe disabled nothing works the flows off, so none is taken: every REGISTER
 * would otherwise stay in memory for as long as the proxy runs.
 */
public final class CapabilityBook {

    private final boolean probing;
    private final Queue<Binding> intake = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Capabilities> byFlow = new ConcurrentHashMap<>();

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

    void put(String flowIdentity, Capabilities capabilities) {
        byFlow.put(flowIdentity, capabilities);
    }

    void putAll(Map<String, Capabilities> known) {
        byFlow.putAll(known);
    }

    boolean known(String flowIdentity) {
        return byFlow.containsKey(flowIdentity);
    }

    void retainOnly(Set<String> liveFlows) {
        byFlow.keySet().retainAll(liveFlows);
    }

    public Optional<Capabilities> of(Binding binding) {
        return Optional.ofNullable(byFlow.get(binding.flowIdentity()));
    }

    public int size() {
        return byFlow.size();
    }
}
