package io.pinhole.proxy.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The relays the proxy may allocate media on: the {@code relays} table (or the configured
 * default relay while it is empty). Picks the least-loaded relay that is up; a relay that
 * misses a command is marked down and comes back when it answers a ping.
 */
public final class RelayPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayPool.class);

    private final RelayRepository repository;
    private final RelayProperties properties;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-pool");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ExecutorService callbacks = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "relay-callbacks");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Relay> byKey = new HashMap<>();
    private volatile List<Relay> relays = List.of();

    public RelayPool(RelayRepository repository, RelayProperties properties) {
        this.repository = repository;
        this.properties = properties;
        reload();
        timer.scheduleWithFixedDelay(this::reloadQuietly, properties.reloadInterval().toMillis(),
                properties.reloadInterval().toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::pingAll, properties.pingInterval().toMillis(),
                properties.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The least-loaded relay that is up, counted as carrying one more call; empty when none is. */
    public Optional<Relay> acquire() {
        Optional<Relay> chosen = relays.stream().filter(Relay::up).min(Comparator.comparingDouble(Relay::load));
        chosen.ifPresent(Relay::acquired);
        return chosen;
    }

    /** A media session for one call on {@code relay}. */
    public MediaSession session(Relay relay, String callId) {
        return new MediaSession(relay, callId, callbacks);
    }

    public void release(Relay relay) {
        relay.released();
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
        relay.markUp(false);
    }

    public List<Relay> relays() {
        return relays;
    }

    synchronized void reload() {
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
            String key = row.id() + "|" + row.host() + ":" + row.port() + "|" + row.weight();
            Relay relay = existingOrNew(key, row.id(), row.name(), row.host(), row.port(), row.weight());
            next.put(key, relay);
            list.add(relay);
        }
        byKey.forEach((key, relay) -> {
            if (!next.containsKey(key)) {
                relay.client().close();
            }
        });
        byKey.clear();
        byKey.putAll(next);
        relays = List.copyOf(list);
    }

    private Relay existingOrNew(String key, Long id, String name, String host, int port, int weight) {
        Relay existing = byKey.get(key);
        if (existing != null) {
            return existing;
        }
        NgClient client = new NgClient(new InetSocketAddress(host, port), properties.secret(), properties.timeout(), timer);
        return new Relay(id, name, client, weight);
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warn("reading the relays table failed, keeping the current pool: {}", e.toString());
        }
    }

    private void pingAll() {
        for (Relay relay : relays) {
            relay.client().send(Map.of("command", "ping")).whenComplete((reply, error) -> {
                if (error == null) {
                    relay.answered();
                    if (!relay.up()) {
                        LOG.info("relay {} answers again: back in the pool", relay.name());
                    }
                    relay.markUp(true);
                } else {
                    markDown(relay, "ping: " + error.getMessage());
                }
            });
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        callbacks.shutdown();
        relays.forEach(r -> r.client().close());
    }
}
