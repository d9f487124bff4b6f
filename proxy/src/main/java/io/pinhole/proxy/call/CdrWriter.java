package io.pinhole.proxy.call;

import io.pinhole.proxy.database.DatabaseStatus;
import io.pinhole.proxy.media.LegPlan;
import io.pinhole.proxy.media.MediaPathMetrics;
import io.pinhole.proxy.media.PathPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes CDRs in batches on its own thread: the signalling path never waits on the database.
 * While the database is away the batch in hand is retried (back-off up to 5 s) and new records
 * wait in the queue, however long the outage lasts: a CDR is dropped only when the queue is full,
 * when the table refuses the row itself, or at shutdown with the database still away.
 */
final class CdrWriter implements AutoCloseable {

    /** Why a CDR was not written. */
    enum Loss {
        QUEUE_FULL("queue-full"), REJECTED("rejected"), SHUTDOWN("shutdown");

        final String tag;

        Loss(String tag) {
            this.tag = tag;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CdrWriter.class);
    private static final String INSERT = """
            INSERT INTO calls (call_id, caller, callee, started_at, answered_at, ended_at, outcome, sip_status,
                               media_path, caller_behind_nat, callee_behind_nat, relay_id, packets, bytes,
                               caller_path_planned, caller_path, callee_path_planned, callee_path, path_reason,
                               direct_share, conference, caller_media_transport, callee_media_transport,
                               relay_failovers, relay_failure)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    static final int CAPACITY = 100_000;
    private static final int MAX_BATCH = 500;
    private static final long GATHER_MILLIS = 100;
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5000;

    private final JdbcTemplate jdbc;
    private final MediaPathMetrics paths;
    private final DatabaseStatus database;
    private final CallOutcomeMetrics outcomes;
    private final Duration shutdownBudget;
    private final BlockingQueue<CallRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final LongAdder[] lost = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final AtomicBoolean full = new AtomicBoolean();
    private final Thread worker = new Thread(this::run, "cdr-writer");
    /** Records taken from the queue and not yet written: part of {@link #pending()}. */
    private volatile int inHand;
    private volatile boolean running = true;
    private volatile long giveUpAtNanos = Long.MAX_VALUE;

    /**
     * @param shutdownBudget how long {@link #close()} keeps trying to write what is queued while the
     *                       database is away, before counting it lost
     */
    CdrWriter(JdbcTemplate jdbc, MediaPathMetrics paths, CallOutcomeMetrics outcomes, DatabaseStatus database,
              Duration shutdownBudget) {
        this.jdbc = jdbc;
        this.paths = paths;
        this.outcomes = outcomes;
        this.database = database;
        this.shutdownBudget = shutdownBudget;
        worker.setDaemon(true);
        worker.start();
    }

    void write(CallRecord record) {
        // counted here, where every ended call passes once, so the metric and the calls table agree
        if (record.paths() != null) {
            paths.count(record.paths());
        }
        if (record.directShare() != null) {
            paths.directShare(record.directShare());
        }
        outcomes.count(record);
        if (queue.offer(record)) {
            return;
        }
        lost[Loss.QUEUE_FULL.ordinal()].increment();
        // once per spell of a full queue, not once per call: a long outage at full load would flood the log
        if (full.compareAndSet(false, true)) {
            LOG.error("CDR queue full ({} records waiting for the database): CDRs are dropped until it drains, "
                    + "first the one of call {}", CAPACITY, record.callId());
        }
    }

    /** CDRs queued or in hand, not yet in the {@code calls} table. */
    int pending() {
        return queue.size() + inHand;
    }

    long lost(Loss why) {
        return lost[why.ordinal()].sum();
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
                inHand = batch.size();
                if (!writeUntilDone(batch)) {
                    giveUp(batch);
                    return;
                }
                batch.clear();
                inHand = 0;
                if (full.get() && queue.remainingCapacity() > MAX_BATCH) {
                    full.set(false);
                }
            } catch (InterruptedException e) {
                giveUp(batch);
                return;
            }
        }
    }

    /**
     * Gathers what arrives within {@link #GATHER_MILLIS} of the first record: under load one multi-row
     * INSERT per tenth of a second costs PostgreSQL a fraction of a transaction per call. At shutdown
     * it waits for nothing more but still takes full batches from the queue: it used to stop gathering
     * there, so what was queued went out one row per INSERT and commit, and a long queue could outlast
     * the service manager's stop timeout.
     */
    private void collect(List<CallRecord> batch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GATHER_MILLIS);
        while (batch.size() < MAX_BATCH) {
            queue.drainTo(batch, MAX_BATCH - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= MAX_BATCH || left <= 0 || !running) {
                return;
            }
            CallRecord next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    /**
     * Writes {@code batch}, removing what is written; retries while the database is away. False only
     * when shutdown's budget ran out first (what is left in {@code batch} is not written).
     */
    private boolean writeUntilDone(List<CallRecord> batch) throws InterruptedException {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            try {
                insert(batch);
                database.reachable();
                batch.clear();
                return true;
            } catch (RuntimeException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("shutdown budget spent"); // not a refusal of these rows
                }
                if (!database.unreachable("writing " + batch.size() + " CDRs", e)) {
                    return writeOneByOne(batch, e);
                }
                if (!running && System.nanoTime() - giveUpAtNanos > 0) {
                    return false;
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    /** The table refused the batch: one row at a time, so only the row it refuses is dropped. */
    private boolean writeOneByOne(List<CallRecord> batch, RuntimeException refusal) throws InterruptedException {
        if (batch.size() == 1) {
            lost[Loss.REJECTED.ordinal()].increment();
            LOG.error("CDR of call {} refused by the database, dropped: {}", batch.get(0).callId(), refusal.toString());
            batch.clear();
            return true;
        }
        for (Iterator<CallRecord> it = batch.iterator(); it.hasNext(); ) {
            List<CallRecord> one = new ArrayList<>(List.of(it.next()));
            if (!writeUntilDone(one)) {
                return false;
            }
            it.remove();
            inHand = batch.size();
        }
        return true;
    }

    /** Shutdown with the database away: what is still here is lost, and the log says how much. */
    private void giveUp(List<CallRecord> batch) {
        int count = batch.size() + queue.drainTo(new ArrayList<>());
        inHand = 0;
        if (count > 0) {
            lost[Loss.SHUTDOWN.ordinal()].add(count);
            LOG.error("shutting down with the database unavailable: {} CDRs could not be written and are lost", count);
        }
    }

    private void insert(List<CallRecord> batch) {
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
            if (r.directShare() == null) {
                ps.setNull(20, Types.REAL);
            } else {
                ps.setFloat(20, r.directShare().floatValue());
            }
            ps.setString(21, r.conference());
            ps.setString(22, caller == null ? null : caller.transportWords());
            ps.setString(23, callee == null ? null : callee.transportWords());
            ps.setInt(24, r.relayFailovers());
            ps.setString(25, r.relayFailure());
        });
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    /**
     * Writes what is queued; with the database away it keeps trying for the shutdown budget, then
     * counts the rest lost (one log line with the number).
     */
    @Override
    public void close() throws InterruptedException {
        giveUpAtNanos = System.nanoTime() + shutdownBudget.toNanos();
        running = false;
        worker.join(shutdownBudget.toMillis() + 1000);
        if (worker.isAlive()) {
            worker.interrupt(); // a statement waiting for a connection past the budget
            worker.join(5000);
        }
    }
}
