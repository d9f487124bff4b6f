package io.pinhole.proxy.edge;

import io.pinhole.proxy.sip.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@link EdgeFlowStore} in the {@code edge_flows} table (migration V15). Writes go to a thread of
 * their own, never the SIP thread that accepted the REGISTER; they are rare (a new connection, or
 * an hourly refresh), so a small queue suffices, and a write that does not fit is dropped: the
 * agent's next registration writes it again.
 */
final class JdbcEdgeFlowStore implements EdgeFlowStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcEdgeFlowStore.class);
    private static final String UPSERT = """
            INSERT INTO edge_flows (address, port, transport, agent_id, last_registered) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (address, port, transport)
            DO UPDATE SET agent_id = EXCLUDED.agent_id, last_registered = EXCLUDED.last_registered""";

    private final JdbcTemplate jdbc;
    private final ThreadPoolExecutor writes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1_000), r -> {
        Thread thread = new Thread(r, "edge-flow-writer");
        thread.setDaemon(true);
        return thread;
    }, new ThreadPoolExecutor.DiscardPolicy());

    JdbcEdgeFlowStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Row> load(Instant since) {
        return jdbc.query("SELECT address, port, transport, agent_id, last_registered FROM edge_flows"
                        + " WHERE last_registered > ?",
                (rs, i) -> new Row(new Flow(rs.getString("address"), rs.getInt("port"), rs.getString("transport")),
                        rs.getString("agent_id"), rs.getTimestamp("last_registered").toInstant()),
                Timestamp.from(since));
    }

    @Override
    public void save(Row row, Instant forgetBefore) {
        writes.execute(() -> {
            try {
                jdbc.update(UPSERT, row.flow().address(), row.flow().port(), row.flow().transport(), row.agentId(),
                        Timestamp.from(row.lastRegistered()));
                jdbc.update("DELETE FROM edge_flows WHERE last_registered < ?", Timestamp.from(forgetBefore));
            } catch (RuntimeException e) {
                LOG.warn("edge agent {}'s connection {}:{}/{} not stored (a proxy restart would lose it until its phones"
                        + " register again): {}", row.agentId(), row.flow().address(), row.flow().port(),
                        row.flow().transport(), e.getMessage());
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        writes.shutdown();
        writes.awaitTermination(5, TimeUnit.SECONDS);
    }
}
