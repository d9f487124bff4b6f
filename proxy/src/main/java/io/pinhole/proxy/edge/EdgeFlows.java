package io.pinhole.proxy.edge;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edge agents logged in now, and every connection each registered over. An agent's own
 * digest-authenticated REGISTER with {@code Pinhole-Edge} over TCP/TLS makes its connection an
 * edge flow until its binding expires or it unregisters; a newer connection with the same id
 * replaces the older. The phones behind it registered over one of its connections (their
 * bindings hold that flow): requests to them follow the agent's current connection, and find
 * nothing once the agent is gone. Memory only, thread-safe, never blocks.
 */
public final class EdgeFlows {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeFlows.class);

    /** One agent: what it said, its current connection, when its own registration ends. */
    record Agent(EdgeInfo info, Flow flow, Instant expiresAt) {
    }

    /** Who registered over a connection, and when it last did. */
    private record Owner(String id, Instant lastRegistered) {
    }

    /**
     * How long a connection is remembered after its agent last registered over it: longer than any
     * binding a phone could have registered over it, so that binding is skipped, not sent to a stranger.
     */
    private static final java.time.Duration REMEMBER = java.time.Duration.ofDays(1);

    private final ConcurrentHashMap<String, Agent> byId = new ConcurrentHashMap<>();
    /** Every connection an agent registered over, current or earlier. */
    private final ConcurrentHashMap<Flow, Owner> idByFlow = new ConcurrentHashMap<>();
    private final Clock clock;

    public EdgeFlows(Clock clock) {
        this.clock = clock;
    }

    /**
     * An agent's REGISTER over {@code flow} was accepted: it is that agent's connection until the
     * latest of its bindings on it expires; without one (it unregistered) the agent is forgotten.
     */
    public void registered(EdgeInfo info, Flow flow, List<Binding> accepted) {
        Instant now = clock.instant();
        Optional<Instant> until = accepted.stream().filter(b -> b.flow().equals(flow) && b.liveAt(now))
                .map(Binding::expiresAt).max(Instant::compareTo);
        purge(now);
        if (until.isEmpty()) {
            forget(info.id());
            LOG.info("edge agent {} unregistered from {}:{}/{}", info.id(), flow.address(), flow.port(), flow.transport());
            return;
        }
        Agent before = byId.put(info.id(), new Agent(info, flow, until.get()));
        idByFlow.put(flow, new Owner(info.id(), now));
        if (before == null || !before.flow().equals(flow) || !before.info().equals(info)) {
            LOG.info("edge agent {} on {}:{}/{}: media {}, UDP out {}, UDP in {}", info.id(), flow.address(), flow.port(),
                    flow.transport(), info.media().wire(), info.udpOut() ? "yes" : "no", info.udpIn() ? "yes" : "no");
        }
    }

    /** What the agent whose connection (current or earlier) {@code flow} is said, while it is registered. */
    public Optional<EdgeInfo> at(Flow flow) {
        return agentOf(flow, clock.instant()).map(Agent::info);
    }

    /**
     * The bindings as requests should use them: one registered over an agent's connection goes over
     * that agent's current connection, and is left out when the agent is no longer registered; any
     * other binding as it is.
     */
    public List<Binding> follow(List<Binding> bindings) {
        if (idByFlow.isEmpty()) {
            return bindings;
        }
        Instant now = clock.instant();
        List<Binding> out = new ArrayList<>(bindings.size());
        for (Binding b : bindings) {
            if (!idByFlow.containsKey(b.flow())) {
                out.add(b);
                continue;
            }
            agentOf(b.flow(), now).ifPresent(agent -> out.add(agent.flow().equals(b.flow()) ? b : b.withFlow(agent.flow())));
        }
        return out;
    }

    private Optional<Agent> agentOf(Flow flow, Instant now) {
        Owner owner = idByFlow.get(flow);
        Agent agent = owner == null ? null : byId.get(owner.id());
        return agent != null && agent.expiresAt().isAfter(now) ? Optional.of(agent) : Optional.empty();
    }

    /** The agent is gone; its connections are remembered, so the bindings behind it are skipped. */
    private void forget(String id) {
        byId.remove(id);
    }

    /** Agents whose registration ran out; connections no binding can still name. */
    private void purge(Instant now) {
        byId.values().removeIf(agent -> !agent.expiresAt().isAfter(now));
        idByFlow.values().removeIf(owner -> owner.lastRegistered().plus(REMEMBER).isBefore(now));
    }
}
