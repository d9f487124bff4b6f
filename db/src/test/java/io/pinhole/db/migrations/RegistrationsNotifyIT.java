package io.pinhole.db.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.db.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The notifications on {@code pinhole_registrations} that keep the proxies of a cluster in step
 * (V16, made per statement by V20), against the migrated schema: one per user whose bindings a
 * statement inserted, refreshed, re-routed or deleted; none for the capability probe's columns;
 * and the trigger function runs once per statement and event, not once per row.
 */
class RegistrationsNotifyIT {

    private static final String UPSERT = """
            INSERT INTO registrations (user_id, binding_key, contact_uri, call_id, cseq, expires_seconds, expires_at,
                                       source_address, source_port, transport, registered_at)
            SELECT u, k, k, 'call', 1, 600, now() + interval '600 s', '192.0.2.1', 5060, 'UDP', now()
            FROM (VALUES %s) AS b(u, k)
            ON CONFLICT (user_id, binding_key) DO UPDATE SET expires_at = EXCLUDED.expires_at + interval '1 s'""";

    private static EmbeddedPostgresServer postgres;
    private static String url;
    private Connection listening;
    private Connection writing;

    @BeforeAll
    static void migrate() throws Exception {
        postgres = EmbeddedPostgresServer.startTemporary();
        url = postgres.createDatabase("notify_it");
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO domains (id, name) VALUES (1, 'example.test')");
            s.execute("INSERT INTO users (id, domain_id, username, ha1_md5, ha1_sha256) SELECT g, 1, 'u' || g, "
                    + "repeat('a', 32), repeat('b', 64) FROM generate_series(1, 5) g");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void connect() throws SQLException {
        writing = DriverManager.getConnection(url, "postgres", "");
        execute("DELETE FROM registrations");
        execute("SET track_functions = 'pl'");
        listening = DriverManager.getConnection(url, "postgres", "");
        try (Statement s = listening.createStatement()) {
            s.execute("LISTEN pinhole_registrations");
        }
    }

    @AfterEach
    void close() throws SQLException {
        listening.close();
        writing.close();
    }

    @Test
    void aBatchOfRowsRunsTheTriggerOnceAndNotifiesEachUserOnce() throws SQLException {
        writing.setAutoCommit(false);
        execute(UPSERT.formatted("(1, 'a'), (1, 'b'), (2, 'a'), (3, 'a')"));
        // an INSERT ... ON CONFLICT DO UPDATE fires the statement's insert and update triggers, one call
        // each, however many rows (a trigger per row called it four times)
        assertThat(triggerCalls()).as("calls for one statement of four rows").isEqualTo(2);
        writing.commit();

        assertThat(notified()).containsExactlyInAnyOrder("1", "2", "3");
    }

    @Test
    void aRefreshNotifiesItsUser() throws SQLException {
        execute(UPSERT.formatted("(1, 'a'), (2, 'a')"));
        notified();

        execute(UPSERT.formatted("(2, 'a')"));

        assertThat(notified()).containsExactly("2");
    }

    @Test
    void theProbesColumnsAndUpdatesThatChangeNothingWakeNobody() throws SQLException {
        execute(UPSERT.formatted("(1, 'a'), (2, 'a')"));
        notified();

        execute("UPDATE registrations SET sends_udp = true, nat_mapping = 'NONE', probed_at = now()");
        execute("UPDATE registrations SET contact_uri = contact_uri, expires_at = expires_at");
        execute("UPDATE registrations SET contact_uri = 'sip:moved@192.0.2.9' WHERE user_id = 1");

        assertThat(notified()).containsExactly("1");
    }

    @Test
    void deletesNotifyTheirUsersAndTruncateEveryone() throws SQLException {
        execute(UPSERT.formatted("(1, 'a'), (2, 'a'), (3, 'a')"));
        notified();

        execute("DELETE FROM registrations WHERE user_id IN (1, 3)");
        assertThat(notified()).containsExactlyInAnyOrder("1", "3");

        execute("TRUNCATE registrations");
        assertThat(notified()).containsExactly("*");
    }

    private long triggerCalls() throws SQLException {
        try (Statement s = writing.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions "
                     + "WHERE funcname LIKE 'registrations_notify%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The payloads delivered to the listening connection so far (waits up to a second for the first). */
    private List<String> notified() throws SQLException {
        List<String> payloads = new ArrayList<>();
        PGConnection pg = listening.unwrap(PGConnection.class);
        PGNotification[] batch = pg.getNotifications(1000);
        while (batch != null && batch.length > 0) {
            for (PGNotification n : batch) {
                payloads.add(n.getParameter());
            }
            batch = pg.getNotifications(200);
        }
        return payloads;
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = writing.createStatement()) {
            s.execute(sql);
        }
    }
}
