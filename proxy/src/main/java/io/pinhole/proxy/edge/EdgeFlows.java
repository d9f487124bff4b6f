package io.pinhole.proxy.edge;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The edge agents logged in now, and every connection each registered over. An agent's own
 * digest-authenticated REGISTER with {@code Pinhole-Edge} over TCP/TLS makes its connection an
 * edge flow until its binding expires or it unregisters; a newer connection with the same id
 * replaces the older. The phones behind it registered over one of its connections (their
 * bindings hold that flow): requests to them follow the agent's current connection, and find
 * nothing once the agent is gone or found dead ({@link #judge}). Which agent each connection
 * belonged to is also written to an {@link EdgeFlowStore} and read back at start, so after a proxy
 * restart the phones' bindings follow their agent as soon as it logs in again. Thread-safe, never
 * blocks (but at construction, which loads the store).
 */
public final class EdgeFlows {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeFlows.class);

    /**
     * One agent: what it said, its current connection and its own binding there, when its own
     * registration ends, when it last answered (or logged in), and whether it was found dead.
     */
    record Agent(EdgeInfo info, Flow flow, Binding binding, Instant expiresAt, Instant lastHeard, String deadBecause) {

        Agent heard(Instant now) {
            return new Agent(info, flow, binding, expiresAt, now, null);
        }
    }

    /** Who registered over a connection, when it last did, and when that was last stored. */
    private record Owner(String id, Instant lastRegistered, Instant stored) {
    }

    /**
     * How long a connection is remembered after its agent last registered over it: longer than any
     * binding a phone could have registered over it, so that binding is skipped, not sent to a stranger.
     */
    private static final Duration REMEMBER = Duration.ofDays(1);
    /** A connection still in use is stored again this often, so its stored time stays within REMEMBER. */
    private static final Duration STORE_AGAIN = Duration.ofHours(1);

    private final ConcurrentHashMap<String, Agent> byId = new ConcurrentHashMap<>();
    /** Every connection an agent registered over, current or earlier. */
    private final ConcurrentHashMap<Flow, Owner> idByFlow = new ConcurrentHashMap<>();
    private final Clock clock;
    private final EdgeFlowStore store;

    /** Memory only. */
    public EdgeFlows(Clock clock) {
        this(clock, EdgeFlowStore.MEMORY);
    }

    public EdgeFlows(Clock clock, EdgeFlowStore store) {
        this.clock = clock;
        this.store = store;
        Instant now = clock.instant();
        for (EdgeFlowStore.Row row : store.load(now.minus(REMEMBER))) {
            idByFlow.put(row.flow(), new Owner(row.agentId(), row.lastRegistered(), row.lastRegistered()));
        }
        if (!idByFlow.isEmpty()) {
            LOG.info("edge agents: {} connections of earlier agents loaded; their phones follow each agent once it"
                    + " logs in again", idByFlow.size());
        }
    }

    /**
     * An agent's REGISTER over {@code flow} was accepted: it is that agent's connection until the
     * latest of its bindings on it expires; without one (it unregistered) the agent is forgotten.
     */
    public void registered(EdgeInfo info, Flow flow, List<Binding> accepted) {
        Instant now = clock.instant();
        Optional<Binding> own = accepted.stream().filter(b -> b.flow().equals(flow) && b.liveAt(now))
                .max(Comparator.comparing(Binding::expiresAt));
        purge(now);
        if (own.isEmpty()) {
            forget(info.id());
            LOG.info("edge agent {} unregistered from {}:{}/{}", info.id(), flow.address(), flow.port(), flow.transport());
            return;
        }
        Agent before = byId.put(info.id(), new Agent(info, flow, own.get(), own.get().expiresAt(), now, null));
        Owner owner = idByFlow.get(flow);
        if (owner == null || !owner.id().equals(info.id()) || owner.stored().plus(STORE_AGAIN).isBefore(now)) {
            idByFlow.put(flow, new Owner(info.id(), now, now));
            store.save(new EdgeFlowStore.Row(flow, info.id(), now), now.minus(REMEMBER));
        } else {
            idByFlow.put(flow, new Owner(info.id(), now, owner.stored()));
        }
        if (before == null || !before.flow().equals(flow) || !before.info().equals(info)) {
            LOG.info("edge agent {} on {}:{}/{}: media {}, UDP out {}, UDP in {}", info.id(), flow.address(), flow.port(),
                    flow.transport(), info.up() == info.media() ? info.media().wire()
                            : info.up().wire() + " up, " + info.media().wire() + " down", info.udpOut() ? "yes" : "no", info.udpIn() ? "yes" : "no");
        } else if (before.deadBecause() != null) {
            LOG.info("edge agent {} on {}:{}/{} registered again: its phones are reachable again", info.id(),
                    flow.address(), flow.port(), flow.transport());
        }
    }

    /**
     * The agent logged in with a token that has been revoked: it is logged out at once, so requests
     * to its phones find nothing (480) instead of going to whoever holds the token; its next login
     * is refused.
     */
    public void revoked(String id, String token) {
        Agent gone = byId.remove(id);
        if (gone != null) {
            LOG.info("edge agent {} on {}:{}/{} logged out: its token {} was revoked; its phones are unreachable until it"
                    + " logs in again", id, gone.flow().address(), gone.flow().port(), gone.flow().transport(), token);
        }
    }

    /** What the agent whose connection (current or earlier) {@code flow} is said, while it is registered. */
    public Optional<EdgeInfo> at(Flow flow) {
        return agentOf(flow, clock.instant()).map(Agent::info);
    }

    /**
     * The bindings as requests should use them: one registered over an agent's connection goes over
     * that agent's current connection, and is left out when the agent is no longer registered or
     * found dead; any other binding as it is.
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
            agentOf(b.flow(), now).filter(agent -> agent.deadBecause() == null)
                    .ifPresent(agent -> out.add(agent.flow().equals(b.flow()) ? b : b.withFlow(agent.flow())));
        }
        return out;
    }

    /**
     * Why none of these bindings can be reached because of their agent, for the 480's reason phrase:
     * "edge agent &lt;id&gt; not answering" when one is behind an agent found dead; else empty.
     */
    public Optional<String> unreachableBecause(List<Binding> bindings) {
        Instant now = clock.instant();
        for (Binding b : bindings) {
            Optional<Agent> agent = agentOf(b.flow(), now);
            if (agent.isPresent() && agent.get().deadBecause() != null) {
                return Optional.of("edge agent " + agent.get().info().id() + " not answering");
            }
        }
        return Optional.empty();
    }

    /** The agents registered now, with their own binding (where heartbeats go). */
    List<Agent> agents() {
        Instant now = clock.instant();
        return byId.values().stream().filter(a -> a.expiresAt().isAfter(now)).toList();
    }

    /** An answer from the agent: alive (again, if it had been found dead). */
    void heard(String id) {
        Instant now = clock.instant();
        Agent[] before = new Agent[1];
        byId.computeIfPresent(id, (k, agent) -> {
            before[0] = agent;
            return agent.heard(now);
        });
        if (before[0] != null && before[0].deadBecause() != null) {
            LOG.info("edge agent {} answers again: its phones are reachable again", id);
        }
    }

    /**
     * Marks the agents silent for too long dead ({@link EdgeLiveness}), with one log line each when
     * it happens; returns the agents found dead now.
     */
    List<String> judge(Duration interval, int misses) {
        Instant now = clock.instant();
        List<String> died = new ArrayList<>();
        for (Agent agent : List.copyOf(byId.values())) {
            EdgeLiveness.Verdict v = EdgeLiveness.judge(agent.lastHeard(), now, interval, misses);
            if (v.dead() && agent.deadBecause() == null) {
                Agent dead = new Agent(agent.info(), agent.flow(), agent.binding(), agent.expiresAt(), agent.lastHeard(),
                        v.reason());
                if (byId.replace(agent.info().id(), agent, dead)) {
                    died.add(agent.info().id());
                    LOG.warn("edge agent {} on {}:{}/{} is dead: {}; its phones are unreachable (480) until it answers"
                                    + " or logs in again", agent.info().id(), agent.flow().address(), agent.flow().port(),
                            agent.flow().transport(), v.reason());
                }
            }
        }
        return died;
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
