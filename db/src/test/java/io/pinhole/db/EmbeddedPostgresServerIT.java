package io.pinhole.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
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
    void launcherServerIsDurableKeepsItsSocketInItsDataDirectoryAndRunsBesideAnother() throws Exception {
        Path dataA = temp.resolve("a");
        // deep enough that a socket in it would pass the 107-byte limit: that one runs without
        Path dataB = temp.resolve("b".repeat(60)).resolve("c".repeat(60)).resolve("postgres");
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

            assertThat(show(a, "unix_socket_directories")).isEqualTo("\"" + dataA.toAbsolutePath() + "\"");
            assertThat(dataA.resolve(".s.PGSQL." + portA)).exists();
            assertThat(Path.of("/tmp/.s.PGSQL." + portA)).doesNotExist();
            assertThat(Path.of("/tmp/.s.PGSQL." + portA + ".lock")).doesNotExist();

            assertThat(show(b, "unix_socket_directories")).isEmpty();
            assertThat(Path.of("/tmp/.s.PGSQL." + portB)).doesNotExist();

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
    void temporaryServerStaysFastAndOutOfTmp() throws Exception {
        Path dataDirectory;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary()) {
            assertThat(show(server, "fsync")).isEqualTo("off");
            assertThat(show(server, "synchronous_commit")).isEqualTo("off");
            String socketDirectory = show(server, "unix_socket_directories");
            assertThat(socketDirectory).startsWith("\"").endsWith("\"");
            dataDirectory = Path.of(socketDirectory.substring(1, socketDirectory.length() - 1));
            assertThat(dataDirectory.resolve("PG_VERSION")).exists();
            assertThat(dataDirectory.resolve(".s.PGSQL." + server.port())).exists();
            assertThat(Path.of("/tmp/.s.PGSQL." + server.port())).doesNotExist();
            String url = server.createDatabase("t1");
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
        assertThat(dataDirectory).doesNotExist();
    }

    @Test
    void socketDirectoryIsQuotedForTheShellAndPostgresOrOff() {
        assertThat(EmbeddedPostgresServer.socketDirectories(Path.of("/srv/pinhole/data/postgres"), 15432))
                .isEqualTo("'\"/srv/pinhole/data/postgres\"'");
        assertThat(EmbeddedPostgresServer.socketDirectories(Path.of("/srv/my pinhole,v2/postgres"), 15432))
                .isEqualTo("'\"/srv/my pinhole,v2/postgres\"'");
        assertThat(EmbeddedPostgresServer.socketDirectories(Path.of("/srv/it's/postgres"), 15432)).isEqualTo("''");
        // 107 bytes fit, 108 do not ("/.s.PGSQL.15432" is 15)
        assertThat(EmbeddedPostgresServer.socketDirectories(Path.of("/" + "d".repeat(91)), 15432))
                .isEqualTo("'\"/" + "d".repeat(91) + "\"'");
        assertThat(EmbeddedPostgresServer.socketDirectories(Path.of("/" + "d".repeat(92)), 15432)).isEqualTo("''");
    }

    @Test
    void spacesInTheDataDirectoryReachPostgresIntact() throws Exception {
        Path data = temp.resolve("my pinhole,data");
        int port = freePort();
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startPersistent(data, port)) {
            assertThat(show(server, "unix_socket_directories")).isEqualTo("\"" + data.toAbsolutePath() + "\"");
            assertThat(data.resolve(".s.PGSQL." + port)).exists();
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
