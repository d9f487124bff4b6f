package io.pinhole.proxy.relay;

import io.pinhole.proxy.database.DatabaseStatus;
import io.pinhole.proxy.media.IcePolicy;
import io.pinhole.proxy.media.MediaTransport;
import io.pinhole.proxy.media.RelayCapabilities;
import io.pinhole.proxy.overload.TimedExecutor;
import io.pinhole.wire.ng.NgClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The relays the proxy may allocate media on: the {@code relays} table (or the configured
 * default relay while it is empty). Picks the least-loaded relay that is up and not draining; a
 * relay that misses a command is marked down and comes back when it answers a ping.
 *
 * <p>A relay that leaves the pool (row deleted, disabled, weight 0, another address) while it
 * still carries calls of ours is kept aside, its ng client open, until the last of them is
 * released: those calls still reach it for re-offers and the final delete (packet counts).
 */
public final class RelayPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayPool.class);

    private final RelayRepository repository;
    private final RelayProperties properties;
    private final DatabaseStatus database;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-pool");
        t.setDaemon(true);
        return t;
    });
    /**
     * Re-reading the table waits on the database (a connection timeout while it is away): on its own
     * thread, never on {@link #timer}, which times out and retransmits the calls' ng commands.
     */
    private final ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-reload");
        t.setDaemon(true);
        return t;
    });
    // Timed: how long replies wait for these threads is one of admission's measures of overload.
    private final TimedExecutor callbacks = new TimedExecutor(4, r -> {
        Thread t = new Thread(r, "relay-callbacks");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Relay> byKey = new HashMap<>();
    /** Out of the pool but still carrying calls: closed when the last one is released. */
    private final Map<String, Relay> retiring = new ConcurrentHashMap<>();
    private volatile List<Relay> relays = List.of();
    private volatile RelayCapabilities capabilities = RelayCapabilities.of(Set.of(MediaTransport.UDP), true);
    private final Object servedLock = new Object();
    private volatile IcePolicy ice = IcePolicy.FORCE;

    public RelayPool(RelayRepository repository, RelayProperties properties, DatabaseStatus database) {
        this.repository = repository;
        this.properties = properties;
        this.database = database;
        reload();
        reloads.scheduleWithFixedDelay(this::reloadQuietly, properties.reloadInterval().toMillis(),
                properties.reloadInterval().toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::pingAll, properties.pingInterval().toMillis(),
                properties.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The least-loaded relay that is up, counted as carrying one more call; empty when none is. */
    public Optional<Relay> acquire() {
        return acquire(Set.of());
    }

    /**
     * The least-loaded relay that is up and serves every transport in {@code needed} (what the call's
     * legs carry their media over), counted as carrying one more call; empty when none is. A relay
     * that lacks one is never chosen: the leg's phone or edge agent could not reach it.
     */
    public Optional<Relay> acquire(Set<MediaTransport> needed) {
        Optional<Relay> chosen = relays.stream().filter(r -> r.up() && !r.draining() && r.serves(needed))
                .min(Comparator.comparingDouble(Relay::load));
        chosen.ifPresent(Relay::acquired);
        return chosen;
    }

    /**
     * For a new call: as {@link #acquire(Set)}, and when no relay serving {@code needed} is up, the
     * least-loaded one that is marked down (not draining) as a last resort. "Down" steers calls to
     * the relays that answer; with none answering it must not turn a relay that is only slow (its ng
     * replies starved of CPU for a second or two, a GC pause) into an outage for every new call: the
     * offer is sent, a relay that is alive answers it, and one that is dead costs the caller the ng
     * timeout before its 503, as it did before the relay was found down. Moves away from a failing
     * relay use {@link #acquireOther}, which never falls back.
     */
    public Optional<Relay> acquireForNewCall(Set<MediaTransport> needed) {
        Optional<Relay> chosen = acquire(needed);
        if (chosen.isPresent()) {
            return chosen;
        }
        chosen = relays.stream().filter(r -> !r.up() && !r.draining() && r.serves(needed))
                .min(Comparator.comparingDouble(Relay::load));
        chosen.ifPresent(Relay::acquired);
        return chosen;
    }

    /** Whether a relay other than {@code avoid} that serves {@code needed} is up: a call could move there. */
    public boolean otherUp(Relay avoid, Set<MediaTransport> needed) {
        return relays.stream().anyMatch(r -> r != avoid && r.up() && !r.draining() && r.serves(needed));
    }

    /**
     * As {@link #acquire(Set)}, never {@code avoid}: a call whose relay failed a command (not yet
     * found dead, so still up) moves to another one.
     */
    public Optional<Relay> acquireOther(Relay avoid, Set<MediaTransport> needed) {
        Optional<Relay> chosen = relays.stream().filter(r -> r != avoid && r.up() && !r.draining() && r.serves(needed))
                .min(Comparator.comparingDouble(Relay::load));
        chosen.ifPresent(Relay::acquired);
        return chosen;
    }

    /** Whether some relay could take a call that needs no stream transport: up and not draining. */
    public boolean available() {
        return relays.stream().anyMatch(r -> r.up() && !r.draining());
    }

    /**
     * What the pool's relays serve together, as their pongs said, for the path planner: a leg is
     * planned over a stream transport when some relay of the pool serves it (whether that one is up
     * now is {@link #acquire(Set)}'s to find); with none, the planner's fallbacks apply.
     */
    public RelayCapabilities capabilities() {
        return capabilities;
    }

    /** A pong (from the pool's health ping or the watch's): what the relay serves, logged when it changes. */
    void learn(Relay relay, Map<String, Object> pong) {
        if (relay.learned(RelayTransports.read(pong))) {
            LOG.info("relay {} serves media over {}", relay.name(), RelayTransports.describe(relay.transports()));
            served();
        }
    }

    /** Recomputes {@link #capabilities()}: once per change, not once per call. */
    private void served() {
        // its own lock, not the pool's: reload() holds that while it waits on the database
        synchronized (servedLock) {
            Set<MediaTransport> served = EnumSet.of(MediaTransport.UDP);
            relays.forEach(r -> served.addAll(r.transports()));
            capabilities = RelayCapabilities.of(served, true);
        }
    }

    /** A media session for one call on {@code relay}. */
    public MediaSession session(Relay relay, String callId) {
        return new MediaSession(relay, callId, callbacks, ice);
    }

    /** The ICE option of every session made from now on ({@code pinhole.media.ice}). */
    public void ice(IcePolicy policy) {
        this.ice = policy;
    }

    /** Milliseconds the oldest relay reply has waited for a callback thread to continue its call; 0 when none waits. */
    public long callbackDelayMillis() {
        return callbacks.oldestWaitMillis();
    }

    /**
     * Milliseconds the relays that are up are late in answering ({@link NgClient#delayNanos}:
     * smoothed round trips of the last second, or commands unanswered), the least late of them: one
     * relay frozen beside others that answer is a failure for the failover to handle, not overload;
     * all of them late (the one relay, or every relay starved of CPU) is. 0 when none is up and
     * taking calls (new calls then get their 503 from the pool itself).
     */
    public long ngDelayMillis() {
        long delay = Long.MAX_VALUE;
        for (Relay relay : relays) {
            if (relay.up() && !relay.draining()) {
                delay = Math.min(delay, relay.client().delayNanos(TimeUnit.SECONDS.toNanos(1)));
            }
        }
        return delay == Long.MAX_VALUE ? 0 : TimeUnit.NANOSECONDS.toMillis(delay);
    }

    /** Where replies' continuations run (never the ng receiver thread, nor the watch's). */
    public java.util.concurrent.Executor callbacks() {
        return callbacks;
    }

    public void release(Relay relay) {
        relay.released();
        if (relay.active() <= 0 && retiring.values().remove(relay)) {
            relay.client().close();
        }
    }

    /** Consecutive unanswered commands before a relay is taken out of the pool. */
    private static final int TIMEOUTS_BEFORE_DOWN = 3;

    /**
     * A call's command went unanswered. One late reply on a busy machine must not take the
     * only relay out (every call after it would fail): only a run of them does, or a failed ping.
     */
    public void timedOut(Relay relay) {
        int run = relay.timedOut();
        if (run >= TIMEOUTS_BEFORE_DOWN) {
            markDown(relay, run + " commands in a row unanswered");
        }
    }

    /** Stop choosing this relay until a ping succeeds. */
    public void markDown(Relay relay, String why) {
        if (relay.up()) {
            LOG.warn("relay {} marked down: {}", relay.name(), why);
        }
        relay.problem(why, Instant.now());
        relay.markUp(false);
    }

    /** The relay answered a ping: back in the pool if it was out (the health ping's or the watch's). */
    void answeredAgain(Relay relay) {
        relay.answered();
        if (!relay.up()) {
            LOG.info("relay {} answers again: back in the pool", relay.name());
        }
        relay.markUp(true);
    }

    public List<Relay> relays() {
        return relays;
    }

    /** The relays carrying calls of ours now, in the pool or retiring from it. */
    public List<Relay> carrying() {
        return Stream.concat(relays.stream(), retiring.values().stream()).filter(r -> r.active() > 0).toList();
    }

    /** The relay of this {@code relays} row, in the pool or still carrying calls outside it. */
    public Optional<Relay> byId(long id) {
        return Stream.concat(relays.stream(), retiring.values().stream())
                .filter(r -> r.id() != null && r.id() == id).findFirst();
    }

    /** Re-reads the {@code relays} table now (the admin API calls it after a change). */
    public synchronized void reload() {
        List<RelayRepository.RelayRow> rows = repository.enabled();
        Map<String, Relay> next = new HashMap<>();
        List<Relay> list = new ArrayList<>();
        if (rows.isEmpty()) {
            String[] hostPort = properties.defaultRelay().split(":(?=[0-9]+$)");
            if (hostPort.length != 2) {
                throw new IllegalArgumentException("pinhole.media.default-relay must be host:port, was "
                        + properties.defaultRelay());
            }
            Relay relay = existingOrNew("default|" + properties.defaultRelay(), null, "default", hostPort[0],
                    Integer.parseInt(hostPort[1]), 1);
            next.put("default|" + properties.defaultRelay(), relay);
            list.add(relay);
        }
        for (RelayRepository.RelayRow row : rows) {
            String key = row.id() + "|" + row.host() + ":" + row.port();
            Relay relay = existingOrNew(key, row.id(), row.name(), row.host(), row.port(), row.weight());
            relay.follow(row.weight(), row.draining());
            next.put(key, relay);
            list.add(relay);
        }
        byKey.forEach((key, relay) -> {
            if (!next.containsKey(key)) {
                retire(key, relay);
            }
        });
        byKey.clear();
        byKey.putAll(next);
        relays = List.copyOf(list);
        served();
    }

    private void retire(String key, Relay relay) {
        if (relay.active() <= 0) {
            relay.client().close();
            return;
        }
        LOG.info("relay {} left the pool with {} call(s) of ours: kept until they end", relay.name(), relay.active());
        retiring.put(key, relay);
        if (relay.active() <= 0 && retiring.remove(key, relay)) {
            relay.client().close(); // the last call ended meanwhile
        }
    }

    private Relay existingOrNew(String key, Long id, String name, String host, int port, int weight) {
        Relay existing = byKey.get(key);
        if (existing == null) {
            existing = retiring.remove(key); // back in the pool before its calls ended
        }
        if (existing != null) {
            return existing;
        }
        NgClient client = new NgClient(new InetSocketAddress(host, port), properties.secret(), properties.timeout(), timer);
        Relay relay = new Relay(id, name, client, weight);
        // what it serves is known at once, not a ping interval later; its liveness is the health ping's to judge
        client.send(Map.of("command", "ping")).thenAccept(pong -> learn(relay, pong)).exceptionally(e -> null);
        return relay;
    }

    private void reloadQuietly() {
        try {
            reload();
            database.reachable();
        } catch (RuntimeException e) {
            if (database.unreachable("reading the relays table", e)) {
                return; // logged once per outage; the pool stays as it is
            }
            LOG.warn("reading the relays table failed, keeping the current pool: {}", e.toString());
        }
    }

    private void pingAll() {
        for (Relay relay : relays) {
            relay.client().send(Map.of("command", "ping")).whenComplete((reply, error) -> {
                if (error == null) {
                    learn(relay, reply);
                    answeredAgain(relay);
                } else if (relays.contains(relay)) { // not a relay closed by a reload meanwhile
                    markDown(relay, "ping: " + error.getMessage());
                }
            });
        }
    }

    @Override
    public void close() {
        reloads.shutdownNow();
        timer.shutdownNow();
        callbacks.shutdown();
        relays.forEach(r -> r.client().close());
        retiring.values().forEach(r -> r.client().close());
    }
}
