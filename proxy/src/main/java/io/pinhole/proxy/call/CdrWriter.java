package io.pinhole.proxy.call;

import io.pinhole.proxy.media.LegPlan;
import io.pinhole.proxy.media.MediaPathMetrics;
import io.pinhole.proxy.media.PathPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Writes CDRs in batches on its own thread: the signalling path never waits on the database. */
final class CdrWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdrWriter.class);
    private static final String INSERT = """
            INSERT INTO calls (call_id, caller, callee, started_at, answered_at, ended_at, outcome, sip_status,
                               media_path, caller_behind_nat, callee_behind_nat, relay_id, packets, bytes,
                               caller_path_planned, caller_path, callee_path_planned, callee_path, path_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final int MAX_BATCH = 500;
    private static final long GATHER_MILLIS = 100;

    private final JdbcTemplate jdbc;
    private final MediaPathMetrics paths;
    private final CallOutcomeMetrics outcomes;
    private final BlockingQueue<CallRecord> queue = new ArrayBlockingQueue<>(100_000);
    private final Thread worker = new Thread(this::run, "cdr-writer");
    private volatile boolean running = true;

    CdrWriter(JdbcTemplate jdbc, MediaPathMetrics paths, CallOutcomeMetrics outcomes) {
        this.jdbc = jdbc;
        this.paths = paths;
        this.outcomes = outcomes;
        worker.setDaemon(true);
        worker.start();
    }

    void write(CallRecord record) {
        // counted here, where every ended call passes once, so the metric and the calls table agree
        if (record.paths() != null) {
            paths.count(record.paths());
        }
        outcomes.count(record);
        if (!queue.offer(record)) {
            LOG.error("CDR queue full, record of call {} dropped", record.callId());
        }
    }

    /** CDRs waiting for the database: grows while PostgreSQL is slow or down. */
    int pending() {
        return queue.size();
    }

    private void run() {
        List<CallRecord> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                CallRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                collect(batch);
                insert(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Gathers what arrives within {@link #GATHER_MILLIS} of the first record: under load one multi-row
     * INSERT per tenth of a second costs PostgreSQL a fraction of a transaction per call.
     */
    private void collect(List<CallRecord> batch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GATHER_MILLIS);
        while (batch.size() < MAX_BATCH && running) {
            queue.drainTo(batch, MAX_BATCH - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= MAX_BATCH || left <= 0) {
                return;
            }
            CallRecord next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void insert(List<CallRecord> batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.batchUpdate(INSERT, batch, batch.size(), (ps, r) -> {
                    ps.setString(1, r.callId());
                    ps.setString(2, r.caller());
                    ps.setString(3, r.callee());
                    ps.setTimestamp(4, Timestamp.from(r.startedAt()));
                    ps.setTimestamp(5, r.answeredAt() == null ? null : Timestamp.from(r.answeredAt()));
                    ps.setTimestamp(6, Timestamp.from(r.endedAt()));
                    ps.setString(7, r.outcome());
                    ps.setInt(8, r.sipStatus());
                    ps.setString(9, r.mediaPath());
                    ps.setBoolean(10, r.callerBehindNat());
                    if (r.calleeBehindNat() == null) {
                        ps.setNull(11, Types.BOOLEAN);
                    } else {
                        ps.setBoolean(11, r.calleeBehindNat());
                    }
                    setLong(ps, 12, r.relayId());
                    setLong(ps, 13, r.packets());
                    setLong(ps, 14, r.bytes());
                    PathPlan p = r.paths();
                    LegPlan caller = p == null ? null : p.caller();
                    LegPlan callee = p == null ? null : p.callee();
                    ps.setString(15, caller == null ? null : caller.planned().name());
                    ps.setString(16, caller == null ? null : caller.actual().name());
                    ps.setString(17, callee == null ? null : callee.planned().name());
                    ps.setString(18, callee == null ? null : callee.actual().name());
                    ps.setString(19, p == null ? null : p.reason());
                });
                return;
            } catch (RuntimeException e) {
                if (attempt >= 5) {
                    LOG.error("{} CDRs not written after {} attempts: {}", batch.size(), attempt, e.toString());
                    return;
                }
                LOG.warn("writing {} CDRs failed, retrying: {}", batch.size(), e.toString());
                Thread.sleep(200L * attempt);
            }
        }
    }

    private static void setLong(java.sql.PreparedStatement ps, int index, Long value) throws java.sql.SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        worker.join(10_000);
    }
}
