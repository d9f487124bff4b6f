package io.pinhole.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A real PostgreSQL (zonky's packaged binaries, no download at run time) for the one-command
 * start and for tests. Not used when an external database is configured.
 *
 * <p>With a data directory the cluster survives restarts and is durable (fsync, synchronous
 * commit and full-page writes on); without one it lives in a temporary directory, is removed on
 * {@link #close()}, and keeps zonky's fast settings for tests (fsync and synchronous commit off).
 *
 * <p>Clients connect over TCP only. The Unix socket lives in the data directory instead of
 * {@code /tmp}, where two installations in different network namespaces, using the same port
 * number, would take each other's socket and lock file; when the data directory's path is too
 * long for a socket address (or cannot be passed on safely) the socket is turned off.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /**
     * Longest Unix socket path PostgreSQL accepts: {@code sizeof(sun_path)} (108 on Linux) less
     * the terminating NUL.
     */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a throw-away cluster on a free port (tests): fsync off, removed on {@link #close()}. */
    public static EmbeddedPostgresServer startTemporary() throws IOException {
        // The same temporary directory zonky would pick, made here so the socket can go into it.
        Path dataDirectory = Files.createTempDirectory("epg");
        return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setServerConfig("unix_socket_directories", socketDirectories(dataDirectory, 0))
                .start());
    }

    /**
     * Starts (or re-opens) the cluster kept in {@code dataDirectory}, listening on loopback only,
     * with every setting that keeps committed data across a crash or power loss at its safe value.
     */
    public static EmbeddedPostgresServer startPersistent(Path dataDirectory, int port) throws IOException {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        dataDirectory = dataDirectory.toAbsolutePath();
        Files.createDirectories(dataDirectory);
        return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", socketDirectories(dataDirectory, port))
                // zonky starts every postmaster with -F (fsync off) and synchronous_commit=off,
                // fine for throw-away test clusters; a kept one would be corrupted by a crash.
                // These -c options come after -F on the command line, so they win.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .start());
    }

    /**
     * The {@code unix_socket_directories} value for a server on {@code port} (0: not chosen yet),
     * quoted for the command line it travels on: zonky joins the options into one {@code pg_ctl -o}
     * string, which pg_ctl runs through {@code /bin/sh}, and PostgreSQL then splits the value as a
     * comma-separated list of (double-quoted) names. Empty, which turns the socket off, when the
     * socket's path would be too long or the directory's name holds a quote or control character.
     */
    static String socketDirectories(Path dataDirectory, int port) {
        String directory = dataDirectory.toAbsolutePath().toString();
        String socket = directory + "/.s.PGSQL." + (port == 0 ? 65535 : port);
        int bytes = socket.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOCKET_PATH_BYTES) {
            log.info("embedded PostgreSQL: no Unix socket, as {} would be {} bytes (at most {}); clients use TCP",
                    socket, bytes, MAX_SOCKET_PATH_BYTES);
            return "''";
        }
        if (directory.chars().anyMatch(c -> c == '\'' || c == '"' || c < 0x20 || c == 0x7f)) {
            log.info("embedded PostgreSQL: no Unix socket, as the data directory's path {} holds a quote or"
                    + " control character; clients use TCP", directory);
            return "''";
        }
        return "'\"" + directory + "\"'";
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates an empty database (one per test context keeps tests independent). */
    public String createDatabase(String name) throws java.sql.SQLException {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("invalid database name: " + name);
        }
        try (var connection = postgres.getPostgresDatabase().getConnection();
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return jdbcUrl(name);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
