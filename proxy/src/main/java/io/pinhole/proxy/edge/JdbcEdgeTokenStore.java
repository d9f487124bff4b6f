package io.pinhole.proxy.edge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link EdgeTokenStore} in the {@code edge_agent_tokens} table (migration V18). {@code last_used_at}
 * is written on a thread of its own, never the SIP thread that accepted the REGISTER; a write that
 * does not fit the small queue is dropped (the agent's next refresh writes it again).
 */
final class JdbcEdgeTokenStore implements EdgeTokenStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcEdgeTokenStore.class);

    private final JdbcTemplate jdbc;
    private final ThreadPoolExecutor writes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(100), r -> {
        Thread thread = new Thread(r, "edge-token-writer");
        thread.setDaemon(true);
        return thread;
    }, new ThreadPoolExecutor.DiscardPolicy());

    JdbcEdgeTokenStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<String, EdgeTokenCheck.Entry> live() {
        Map<String, EdgeTokenCheck.Entry> live = new HashMap<>();
        jdbc.query("""
                SELECT t.id, t.name, t.user_id, t.token_sha256, u.username || '@' || d.name AS aor
                FROM edge_agent_tokens t JOIN users u ON u.id = t.user_id JOIN domains d ON d.id = u.domain_id
                WHERE t.revoked_at IS NULL AND u.enabled AND d.enabled""", rs -> {
            live.put(rs.getString("token_sha256"), new EdgeTokenCheck.Entry(rs.getLong("id"), rs.getString("name"),
                    rs.getLong("user_id"), rs.getString("aor")));
        });
        return live;
    }

    @Override
    public void used(long id) {
        writes.execute(() -> {
            try {
                jdbc.update("UPDATE edge_agent_tokens SET last_used_at = now() WHERE id = ?", id);
            } catch (RuntimeException e) {
                LOG.debug("edge agent token {}: last use not stored: {}", id, e.getMessage());
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        writes.shutdown();
        writes.awaitTermination(5, TimeUnit.SECONDS);
    }
}
