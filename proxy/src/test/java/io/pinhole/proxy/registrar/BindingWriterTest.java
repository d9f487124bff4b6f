package io.pinhole.proxy.registrar;

import io.pinhole.proxy.sip.Flow;
import io.pinhole.proxy.database.DatabaseStatus;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The binding writer while the database is away: what is pending, what lands, what a shutdown loses. */
class BindingWriterTest {

    /** The registrations table as a map; refuses connections while {@link #away} is set. */
    private static final class Table extends BindingRepository {
        final Map<String, Binding> rows = new ConcurrentHashMap<>();
        final AtomicBoolean away = new AtomicBoolean(true);
        final java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();

        Table() {
            super(null, null, new io.pinhole.proxy.cluster.ClusterProperties("", List.of()));
        }

        @Override
        public void upsertAll(List<Binding> bindings) {
            check();
            batches.incrementAndGet();
            bindings.forEach(b -> rows.put(b.key(), b));
        }

        @Override
        public void deleteAll(List<Binding> bindings) {
            check();
            bindings.forEach(b -> rows.remove(b.key()));
        }

        private void check() {
            if (away.get()) {
                throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                        new SQLTransientConnectionException("Connection is not available, request timed out"));
            }
        }
    }

    private final Table table = new Table();
    private final DatabaseStatus status = new DatabaseStatus(Clock.systemUTC());

    private static RegistrationResult.Accepted refresh(String key, int expires) {
        Binding b = new Binding(1, "carol@x", key, "sip:carol@192.0.2.1", "call-" + expires, expires, null, expires,
                Instant.now().plusSeconds(expires), new Flow("192.0.2.1", 5060, "udp"), null, null, null);
        return new RegistrationResult.Accepted(List.of(b), List.of(b), List.of());
    }

    @Test
    void pendingCountsTheBatchInHandAndTheLatestChangeLandsAfterTheOutage() throws Exception {
        BindingWriter writer = new BindingWriter(table, 100, status, Duration.ofSeconds(5), Duration.ofMillis(100));
        try {
            writer.submit(refresh("k1", 600));
            eventually(Duration.ofSeconds(5), () -> !status.up(), "outage noticed");
            writer.submit(refresh("k1", 900));
            writer.submit(refresh("k2", 700));
            assertThat(writer.pending()).as("one in hand, two queued").isEqualTo(3);

            table.away.set(false);

            eventually(Duration.ofSeconds(10), () -> writer.pending() == 0, "all written");
            assertThat(table.rows).containsOnlyKeys("k1", "k2");
            assertThat(table.rows.get("k1").expiresSeconds()).isEqualTo(900);
            assertThat(status.up()).isTrue();
            assertThat(writer.lost()).isZero();
        } finally {
            writer.close();
        }
    }

    @Test
    void shutdownWithTheDatabaseAwayCountsWhatIsLost() throws Exception {
        BindingWriter writer = new BindingWriter(table, 100, status, Duration.ofMillis(500), Duration.ofMillis(100));
        writer.submit(refresh("k1", 600));
        writer.submit(refresh("k2", 600));
        eventually(Duration.ofSeconds(5), () -> !status.up(), "outage noticed");

        long start = System.nanoTime();
        writer.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(writer.lost()).isEqualTo(2);
        assertThat(writer.pending()).isZero();
        assertThat(table.rows).isEmpty();
    }

    @Test
    void changesArrivingWithinTheGatheringWindowAreWrittenAsOneBatchTheLatestWinning() throws Exception {
        table.away.set(false);
        BindingWriter writer = new BindingWriter(table, 100, status, Duration.ofSeconds(5), Duration.ofMillis(500));
        try {
            writer.submit(refresh("k1", 600));
            Thread.sleep(100); // written at once, the first change would be a batch of its own
            writer.submit(refresh("k2", 700));
            writer.submit(refresh("k1", 900));

            eventually(Duration.ofSeconds(5), () -> table.rows.size() == 2 && writer.pending() == 0, "all written");
            assertThat(table.batches).as("one batch, not one per change").hasValue(1);
            assertThat(table.rows).containsOnlyKeys("k1", "k2");
            assertThat(table.rows.get("k1").expiresSeconds()).isEqualTo(900);
        } finally {
            writer.close();
        }
    }
}
