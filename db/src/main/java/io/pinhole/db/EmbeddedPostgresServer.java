package io.pinhole.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
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
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a throw-away cluster on a free port (tests): fsync off, removed on {@link #close()}. */
    public static EmbeddedPostgresServer startTemporary() throws IOException {
        return new EmbeddedPostgresServer(EmbeddedPostgres.builder().start());
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
        Files.createDirectories(dataDirectory);
        return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // zonky starts every postmaster with -F (fsync off) and synchronous_commit=off,
                // fine for throw-away test clusters; a kept one would be corrupted by a crash.
                // These -c options come after -F on the command line, so they win.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .start());
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
