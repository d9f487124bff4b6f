package io.pinhole.db;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded PostgreSQL in the foreground for {@code ./pinhole start}: prints one
 * {@code READY <jdbc-url>} line once it accepts connections and stops it cleanly on SIGTERM.
 *
 * <p>Arguments: {@code <data-directory> <port>}.
 */
public final class EmbeddedPostgresMain {

    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedPostgresMain <data-directory> <port>");
            System.exit(2);
        }
        Path dataDirectory = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startPersistent(dataDirectory, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "postgres-stop"));
        System.out.println("READY " + server.jdbcUrl("postgres"));
        System.out.flush();
        stopped.await();
    }
}
