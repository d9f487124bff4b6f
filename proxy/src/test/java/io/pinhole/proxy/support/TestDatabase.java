package io.pinhole.proxy.support;

import io.pinhole.db.EmbeddedPostgresServer;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM (zonky's packaged binaries); each test gets its own empty
 * database in it, so tests never see each other's rows.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private TestDatabase() {
    }

    public static synchronized String freshDatabaseUrl() {
        try {
            if (server == null) {
                server = EmbeddedPostgresServer.startTemporary();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting; the temporary cluster goes with it
                    }
                }));
            }
            return server.createDatabase("t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet());
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot start the test PostgreSQL", e);
        }
    }
}
