package io.pinhole.db.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pinhole.db.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LISTEN loop against a real PostgreSQL: what a service relies on is that every committed
 * NOTIFY reaches it, that a lost connection (a backend terminated, as a database restart does) is
 * noticed, re-opened and followed by a full re-read, and that notifications sent after that are
 * delivered again.
 */
class NotificationListenerIT {

    private static final String APP = "pinhole-listener-it";
    private static final NotificationListener.Settings FAST = new NotificationListener.Settings(
            Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ZERO);

    private static EmbeddedPostgresServer postgres;
    private static String url;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgresServer.startTemporary();
        url = postgres.createDatabase("listener_it");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void deliversNotificationsAndRereadsEverythingAfterTheConnectionWasLost() throws Exception {
        Recorder recorder = new Recorder();
        NotificationListener listener = new NotificationListener("test listener", "pinhole_test",
                ListenConnector.to(url, "postgres", "", APP), FAST, recorder);
        listener.startConnected();
        try {
            assertThat(recorder.resyncs.get()).as("first read on the caller's thread").isEqualTo(1);
            assertThat(listener.listening()).isTrue();

            notify("pinhole_test", "user:1");
            notify("pinhole_other", "ignored");
            notify("pinhole_test", "user:2");
            await(() -> recorder.payloads.size() == 2);
            assertThat(recorder.payloads).containsExactly("user:1", "user:2");
            assertThat(listener.notifications()).isEqualTo(2);

            // what a database restart does to the listening backend
            execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + APP + "'");
            await(() -> listener.reconnects() == 1 && listener.listening());
            assertThat(recorder.resyncs.get()).as("everything read again after the reconnect").isEqualTo(2);

            notify("pinhole_test", "user:3");
            await(() -> recorder.payloads.size() == 3);
            assertThat(recorder.payloads).endsWith("user:3");
        } finally {
            listener.stop();
        }
        assertThat(listener.listening()).isFalse();
        assertThat(count("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + APP + "'"))
                .as("the connection is closed on stop").isZero();
    }

    @Test
    void resyncsOnItsOwnWhenAFullIntervalIsSet() throws Exception {
        Recorder recorder = new Recorder();
        NotificationListener listener = new NotificationListener("periodic listener", "pinhole_periodic",
                ListenConnector.to(url, "postgres", "", APP + "-periodic"),
                new NotificationListener.Settings(Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofMillis(50),
                        Duration.ofMillis(50), Duration.ofMillis(300)), recorder);
        listener.start();
        try {
            await(() -> recorder.resyncs.get() >= 3);
        } finally {
            listener.stop();
        }
    }

    @Test
    void startConnectedFailsWhenTheDatabaseCannotBeReadAndLeavesNothingRunning() {
        NotificationListener listener = new NotificationListener("failing listener", "pinhole_test",
                ListenConnector.to(url.replace("/listener_it", "/no_such_database"), "postgres", "", APP), FAST,
                new Recorder());
        assertThatThrownBy(listener::startConnected).isInstanceOf(SQLException.class)
                .hasMessageContaining("no_such_database");
        assertThat(listener.isRunning()).isFalse();
        assertThat(listener.listening()).isFalse();
    }

    @Test
    void refusesAChannelThatIsNotAPlainIdentifierAndSettingsThatMakeNoSense() {
        assertThatThrownBy(() -> new NotificationListener("x", "routes; DROP TABLE routes", () -> null, FAST, new Recorder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel");
        assertThatThrownBy(() -> new NotificationListener.Settings(Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poll");
        assertThatThrownBy(() -> new NotificationListener.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lastRetry");
    }

    private static final class Recorder implements NotificationListener.Subscriber {
        final AtomicInteger resyncs = new AtomicInteger();
        final List<String> payloads = new CopyOnWriteArrayList<>();

        @Override
        public void resync(Connection connection) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute("SELECT 1"); // the connection handed over is usable
            }
            resyncs.incrementAndGet();
        }

        @Override
        public void notified(List<String> batch, Connection connection) {
            payloads.addAll(batch);
        }

        @Override
        public String whileDown() {
            return "serving what it had";
        }
    }

    private static void notify(String channel, String payload) throws SQLException {
        execute("SELECT pg_notify('" + channel + "', '" + payload + "')");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
