package io.pinhole.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL as {@code ./pinhole start} runs it ({@link EmbeddedPostgresMain} calls
 * {@link EmbeddedPostgresServer#startPersistent}), and as the tests run it. Real binaries; as
 * root they run inside {@code unshare -U} (zonky's doing), which this covers too.
 */
class EmbeddedPostgresServerIT {

    @TempDir
    Path temp;

    @Test
    void launcherServerIsDurableAndRunsBesideAnother() throws Exception {
        Path dataA = temp.resolve("a");
        Path dataB = temp.resolve("b");
        int portA = freePort();
        int portB = freePort();
        try (EmbeddedPostgresServer a = EmbeddedPostgresServer.startPersistent(dataA, portA);
             EmbeddedPostgresServer b = EmbeddedPostgresServer.startPersistent(dataB, portB)) {
            for (EmbeddedPostgresServer server : new EmbeddedPostgresServer[] {a, b}) {
                assertThat(show(server, "fsync")).isEqualTo("on");
                assertThat(show(server, "synchronous_commit")).isEqualTo("on");
                assertThat(show(server, "full_page_writes")).isEqualTo("on");
                assertThat(show(server, "listen_addresses")).isEqualTo("127.0.0.1");
            }
            assertThat(a.port()).isEqualTo(portA);
            assertThat(b.port()).isEqualTo(portB);

            execute(a, "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('a')");
            execute(b, "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('b')");
            assertThat(query(a, "SELECT v FROM kept")).isEqualTo("a");
            assertThat(query(b, "SELECT v FROM kept")).isEqualTo("b");
        }
        // what the launcher relies on: the next start finds the data
        try (EmbeddedPostgresServer a = EmbeddedPostgresServer.startPersistent(dataA, portA)) {
            assertThat(query(a, "SELECT v FROM kept")).isEqualTo("a");
            assertThat(show(a, "fsync")).isEqualTo("on");
        }
    }

    @Test
    void temporaryServerStaysFast() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary()) {
            assertThat(show(server, "fsync")).isEqualTo("off");
            assertThat(show(server, "synchronous_commit")).isEqualTo("off");
            String url = server.createDatabase("t1");
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String show(EmbeddedPostgresServer server, String setting) throws SQLException {
        return query(server, "SHOW " + setting);
    }

    private static String query(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void execute(EmbeddedPostgresServer server, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }
}
