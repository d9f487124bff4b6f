package io.pinhole.proxy.call;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pinhole.proxy.database.DatabaseStatus;
import io.pinhole.proxy.media.MediaPathMetrics;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;

import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The CDR writer against a database that goes away, refuses a row, or is gone at shutdown. */
class CdrWriterTest {

    /** Records what each batch would insert; fails while told to. */
    private static final class Table extends JdbcTemplate {
        final List<String> written = new CopyOnWriteArrayList<>();
        final AtomicInteger outageAttemptsLeft = new AtomicInteger();
        final AtomicReference<Set<String>> refused = new AtomicReference<>(Set.of());
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public <T> int[][] batchUpdate(String sql, Collection<T> rows, int batchSize,
                                       ParameterizedPreparedStatementSetter<T> setter) {
            attempts.incrementAndGet();
            if (outageAttemptsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                        new SQLTransientConnectionException("Connection is not available, request timed out"));
            }
            List<String> ids = new ArrayList<>();
            for (T row : rows) {
                String id = ((CallRecord) row).callId();
                if (refused.get().contains(id)) {
                    throw new DataIntegrityViolationException("violates check constraint: " + id);
                }
                ids.add(id);
            }
            written.addAll(ids);
            return new int[0][];
        }
    }

    private final Table table = new Table();
    private final DatabaseStatus status = new DatabaseStatus(Clock.systemUTC());

    private CdrWriter writer(Duration shutdownBudget) {
        return new CdrWriter(table, new MediaPathMetrics(new SimpleMeterRegistry()),
                new CallOutcomeMetrics(new SimpleMeterRegistry()), status, shutdownBudget);
    }

    private static CallRecord record(String callId) {
        Instant now = Instant.now();
        return new CallRecord(callId, "a@x", "b@x", now, now, now, "answered", 200, "DIRECT", false, false, null,
                null, null, null, null, null);
    }

    @Test
    void keepsRetryingAsLongAsTheDatabaseIsAwayAndLosesNothing() throws Exception {
        table.outageAttemptsLeft.set(7); // the old writer dropped the batch after its fifth attempt
        CdrWriter writer = writer(Duration.ofSeconds(5));
        try {
            writer.write(record("c1"));
            writer.write(record("c2"));
            eventually(Duration.ofSeconds(5), () -> table.attempts.get() >= 3, "retrying");
            assertThat(status.up()).isFalse();
            writer.write(record("c3"));
            assertThat(writer.pending()).as("queued and in hand").isEqualTo(3);

            eventually(Duration.ofSeconds(30), () -> table.written.size() == 3, "all written once it is back");
            assertThat(table.written).containsExactlyInAnyOrder("c1", "c2", "c3");
            eventually(Duration.ofSeconds(2), () -> writer.pending() == 0, "nothing pending");
            assertThat(status.up()).isTrue();
            for (CdrWriter.Loss loss : CdrWriter.Loss.values()) {
                assertThat(writer.lost(loss)).as(loss.tag).isZero();
            }
        } finally {
            writer.close();
        }
    }

    @Test
    void aRowTheTableRefusesIsDroppedAloneAndCounted() throws Exception {
        table.refused.set(Set.of("bad"));
        CdrWriter writer = writer(Duration.ofSeconds(5));
        try {
            writer.write(record("good1"));
            writer.write(record("bad"));
            writer.write(record("good2"));

            eventually(Duration.ofSeconds(5), () -> table.written.size() == 2, "the others written");
            assertThat(table.written).containsExactlyInAnyOrder("good1", "good2");
            eventually(Duration.ofSeconds(2), () -> writer.pending() == 0, "nothing pending");
            assertThat(writer.lost(CdrWriter.Loss.REJECTED)).isEqualTo(1);
            assertThat(status.up()).as("a refused row is no outage").isTrue();
        } finally {
            writer.close();
        }
    }

    @Test
    void shutdownWithTheDatabaseAwayCountsWhatIsLost() throws Exception {
        table.outageAttemptsLeft.set(Integer.MAX_VALUE);
        CdrWriter writer = writer(Duration.ofMillis(500));
        for (int i = 0; i < 4; i++) {
            writer.write(record("c" + i));
        }
        eventually(Duration.ofSeconds(5), () -> table.attempts.get() >= 1, "trying");

        long start = System.nanoTime();
        writer.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(writer.lost(CdrWriter.Loss.SHUTDOWN)).isEqualTo(4);
        assertThat(writer.pending()).isZero();
        assertThat(table.written).isEmpty();
    }

    @Test
    void aCleanShutdownWritesEveryQueuedRecordFirst() throws Exception {
        CdrWriter writer = writer(Duration.ofSeconds(5));
        int calls = 2_345; // several batches of MAX_BATCH, most still queued when close() starts
        for (int i = 0; i < calls; i++) {
            writer.write(record("c" + i));
        }
        writer.close();

        assertThat(table.written).hasSize(calls).doesNotHaveDuplicates();
        assertThat(writer.pending()).isZero();
        for (CdrWriter.Loss loss : CdrWriter.Loss.values()) {
            assertThat(writer.lost(loss)).as(loss.tag).isZero();
        }
        assertThat(table.attempts.get()).as("batched, not a statement per call").isLessThan(calls / 100);
    }

    @Test
    void theQueueIsBoundedDuringAnOutageAndWhatFitsIsWrittenAfterIt() throws Exception {
        table.outageAttemptsLeft.set(Integer.MAX_VALUE);
        CdrWriter writer = writer(Duration.ofSeconds(5));
        try {
            writer.write(record("first"));
            eventually(Duration.ofSeconds(5), () -> table.attempts.get() >= 1, "the first batch in hand, failing");
            int more = CdrWriter.CAPACITY + 1_000;
            for (int i = 0; i < more; i++) {
                writer.write(record("c" + i));
            }
            long full = writer.lost(CdrWriter.Loss.QUEUE_FULL);
            assertThat(full).as("dropped once the queue is full").isPositive();
            assertThat(writer.pending()).as("queued + in hand").isLessThanOrEqualTo(CdrWriter.CAPACITY + 500);
            assertThat(writer.pending() + full).as("every record either waits or is counted lost").isEqualTo(more + 1);

            table.outageAttemptsLeft.set(0);
            eventually(Duration.ofSeconds(60), () -> writer.pending() == 0, "the backlog written once it is back");
            assertThat(table.written).hasSize((int) (more + 1 - full)).doesNotHaveDuplicates();
        } finally {
            writer.close();
        }
    }
}
