package io.pinhole.proxy.edge;

import io.pinhole.proxy.database.DatabaseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The edge agents' live tokens, in memory: checking a REGISTER's token costs no database round
 * trip. An agent that logged in with a token is logged out when a reload finds the token gone. Read again at once after this proxy's admin API changed them ({@link #reload}), and every
 * {@code refresh} for what other proxies changed; while the database is away the last snapshot
 * stays in use. Thread-safe.
 */
public final class EdgeTokens implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeTokens.class);
    /** An agent gets a new id at every start: the ids of one token's latest starts are kept, not all. */
    private static final int AGENTS_PER_TOKEN = 16;

    private final EdgeTokenStore store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "edge-token-reload");
        thread.setDaemon(true);
        return thread;
    });
    private final DatabaseStatus database;
    private final BiConsumer<String, String> revoked;
    /** The agents (Pinhole-Edge ids) that logged in with each live token, by token: logged out when it is revoked. */
    private final ConcurrentHashMap<EdgeTokenCheck.Entry, Set<String>> agents = new ConcurrentHashMap<>();
    private volatile Map<String, EdgeTokenCheck.Entry> live = Map.of();

    /**
     * @param refresh  how often the table is read again; zero: only on {@link #reload}
     * @param database told of each read's outcome, so an outage is logged once, not at every refresh
     * @param revoked  told (agent id, token name) of each agent that logged in with a token found revoked
     */
    public EdgeTokens(EdgeTokenStore store, Duration refresh, DatabaseStatus database,
                      BiConsumer<String, String> revoked) {
        this.store = store;
        this.database = database;
        this.revoked = revoked;
        reload();
        if (!refresh.isZero()) {
            timer.scheduleWithFixedDelay(this::reload, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the live tokens again (after an admin change, and periodically). */
    public synchronized void reload() {
        try {
            live = Map.copyOf(store.live());
            database.reachable();
        } catch (RuntimeException e) {
            if (!database.unreachable("reading the edge agent tokens", e)) {
                LOG.warn("edge agent tokens not re-read ({} known kept): {}", live.size(), e.toString());
            }
            return;
        }
        Set<EdgeTokenCheck.Entry> still = Set.copyOf(live.values());
        for (EdgeTokenCheck.Entry token : List.copyOf(agents.keySet())) {
            if (!still.contains(token)) {
                Set<String> ids = agents.remove(token);
                synchronized (ids) {
                    ids.forEach(agent -> revoked.accept(agent, token.name()));
                }
            }
        }
    }

    /** The agent {@code agentId} logged in with {@code token} (so a revocation logs it out). */
    public void loggedIn(EdgeTokenCheck.Entry token, String agentId) {
        if (live.containsValue(token)) {
            Set<String> ids = agents.computeIfAbsent(token, t -> Collections.synchronizedSet(
                    Collections.newSetFromMap(new LinkedHashMap<>() {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                            return size() > AGENTS_PER_TOKEN;
                        }
                    })));
            ids.add(agentId);
        }
    }

    /** The verdict on {@code token} in a REGISTER for {@code aor} (user@domain) over {@code transport}. */
    public EdgeTokenCheck.Verdict check(String token, String aor, String transport) {
        EdgeTokenCheck.Verdict verdict = EdgeTokenCheck.check(live, sha256(token), aor, transport);
        if (verdict instanceof EdgeTokenCheck.Accepted accepted) {
            store.used(accepted.entry().id());
        }
        return verdict;
    }

    /** The SHA-256 of a token, in hex: what the table keeps instead of the token. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
