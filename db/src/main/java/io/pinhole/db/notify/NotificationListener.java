package io.pinhole.db.notify;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * One PostgreSQL LISTEN loop, shared by every service that keeps an in-memory copy of a table in
 * step with the database (the redirect server's routes, a cluster proxy's bindings).
 *
 * <p>On a connection of its own it LISTENs on one channel and then asks its {@link Subscriber} to
 * read everything ({@link Subscriber#resync}): LISTEN comes first, so no change can fall between
 * the two. Afterwards it hands over each poll's notifications, and resyncs again after every
 * reconnect and, if asked, every {@link Settings#fullResync()}. A quiet connection is checked with
 * {@code SELECT 1} every {@link Settings#heartbeat()} (a silently dead one would otherwise hide
 * changes for good). A lost connection is retried with a back-off from {@link Settings#firstRetry()}
 * doubling to {@link Settings#lastRetry()}; meanwhile the subscriber serves what it has, and one
 * WARN says so in its words.
 *
 * <p>Threading: one daemon thread per listener calls the subscriber; nothing else does, except
 * {@link #startConnected()}, which runs the first resync on the caller's thread before that
 * thread starts.
 */
public final class NotificationListener {

    /** What the listener asks of the copy it keeps up to date. Called on the listener's thread only. */
    public interface Subscriber {

        /** Read everything: after each (re)connect, and every full-resync interval. */
        void resync(Connection connection) throws SQLException;

        /** The payloads of the notifications one poll took in, in order (never empty). */
        void notified(List<String> payloads, Connection connection) throws SQLException;

        /** What is served while the database is away, for the log ("serving the last 12 routes"). */
        String whileDown();
    }

    /**
     * @param poll       how long one wait for notifications lasts (also the stop latency)
     * @param heartbeat  a quiet connection is checked this often
     * @param firstRetry first wait after the connection was lost; doubled each failure...
     * @param lastRetry  ...up to this
     * @param fullResync resync this often even without notifications; zero for never
     */
    public record Settings(Duration poll, Duration heartbeat, Duration firstRetry, Duration lastRetry,
                           Duration fullResync) {
        public Settings {
            positive(poll, "poll");
            positive(heartbeat, "heartbeat");
            positive(firstRetry, "firstRetry");
            positive(lastRetry, "lastRetry");
            Objects.requireNonNull(fullResync, "fullResync");
            if (fullResync.isNegative()) {
                throw new IllegalArgumentException("fullResync must not be negative: " + fullResync);
            }
            if (lastRetry.compareTo(firstRetry) < 0) {
                throw new IllegalArgumentException("lastRetry (" + lastRetry + ") is below firstRetry (" + firstRetry + ")");
            }
        }

        private static void positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);

    private final String name;
    private final String channel;
    private final ListenConnector connector;
    private final Settings settings;
    private final Subscriber subscriber;
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder notifications = new LongAdder();

    private volatile boolean running;
    private volatile Connection connection;
    private Thread thread;

    /**
     * @param name    the thread's name and the log's subject ("route reloader")
     * @param channel a PostgreSQL identifier; LISTEN takes no bind parameter, so it is checked here
     */
    public NotificationListener(String name, String channel, ListenConnector connector, Settings settings,
                                Subscriber subscriber) {
        if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain channel name: " + channel);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.channel = channel;
        this.connector = Objects.requireNonNull(connector, "connector");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
    }

    /** Starts the loop; the first connect and resync happen on its thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, name.replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Connects, LISTENs and resyncs on the caller's thread, then starts the loop: for a service
     * that must not serve before its first read. Throws when the database cannot be read.
     */
    public synchronized void startConnected() throws SQLException {
        if (thread != null) {
            return;
        }
        try {
            connectAndListen();
            subscriber.resync(connection);
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        start();
    }

    /** Stops the loop and closes its connection; returns once the thread has ended (or after a bound). */
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(settings.poll().toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** Times the connection was opened again after it was lost. */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Notifications taken in. */
    public long notifications() {
        return notifications.sum();
    }

    /** Whether the listening connection is open now. */
    public boolean listening() {
        return connection != null;
    }

    private void run() {
        boolean connectedBefore = connection != null;
        boolean down = false;
        long retry = settings.firstRetry().toMillis();
        long nextHeartbeat = System.nanoTime() + settings.heartbeat().toNanos();
        long nextResync = nextResync();
        while (running) {
            try {
                if (connection == null) {
                    connectAndListen();
                    subscriber.resync(connection);
                    if (connectedBefore) {
                        reconnects.increment();
                    }
                    if (down) {
                        LOG.info("{} reconnected to the database and read everything again", name);
                        down = false;
                    }
                    connectedBefore = true;
                    retry = settings.firstRetry().toMillis();
                    nextHeartbeat = System.nanoTime() + settings.heartbeat().toNanos();
                    nextResync = nextResync();
                }
                PGNotification[] received = connection.unwrap(PGConnection.class)
                        .getNotifications((int) settings.poll().toMillis());
                long now = System.nanoTime();
                if (received != null && received.length > 0) {
                    notifications.add(received.length);
                    List<String> payloads = new ArrayList<>(received.length);
                    for (PGNotification notification : received) {
                        payloads.add(notification.getParameter());
                    }
                    subscriber.notified(payloads, connection);
                    nextHeartbeat = now + settings.heartbeat().toNanos();
                } else if (now - nextHeartbeat > 0) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SELECT 1");
                    }
                    nextHeartbeat = now + settings.heartbeat().toNanos();
                }
                if (nextResync != 0 && now - nextResync > 0) {
                    subscriber.resync(connection);
                    nextResync = nextResync();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!down) {
                    LOG.warn("{} lost the database ({}); {}, reconnecting with back-off", name, e.getMessage(),
                            subscriber.whileDown());
                    down = true;
                } else {
                    LOG.debug("{} still cannot reach the database: {}", name, e.getMessage());
                }
                closeQuietly();
                sleep(retry);
                retry = Math.min(retry * 2, settings.lastRetry().toMillis());
            }
        }
        closeQuietly();
    }

    private long nextResync() {
        if (settings.fullResync().isZero()) {
            return 0;
        }
        long at = System.nanoTime() + settings.fullResync().toNanos();
        return at == 0 ? 1 : at;
    }

    private void connectAndListen() throws SQLException {
        Connection opened = connector.open();
        try {
            opened.setAutoCommit(true);
            try (Statement statement = opened.createStatement()) {
                statement.execute("LISTEN " + channel);
            }
        } catch (SQLException | RuntimeException e) {
            try {
                opened.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        connection = opened;
    }

    private void closeQuietly() {
        Connection open = connection;
        connection = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                LOG.debug("closing {}'s connection: {}", name, e.getMessage());
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
