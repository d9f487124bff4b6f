package io.pinhole.proxy.cluster;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.registrar.BindingRepository;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps this proxy's {@link BindingCache} in step with the bindings other proxies of the cluster
 * write, as the redirect server's RouteReloader does for routes: on its own connection it LISTENs
 * on {@code pinhole_registrations} (V16__binding_owner.sql's trigger notifies per changed user)
 * and reloads only the user named. It LISTENs before it reads, so no change can fall between the
 * two: after every (re)connect it reloads every binding once, and otherwise never.
 *
 * <p>A lost connection (database restarted, network cut, backend terminated) is retried with a
 * doubling back-off; meanwhile calls are routed from the bindings known. A quiet connection is
 * checked every 5 s (a silently dead one would otherwise hide changes), and the connector sets a
 * socket timeout so that check cannot hang on a peer that vanished from the network.
 */
public final class BindingListener implements SmartLifecycle {

    public static final String CHANNEL = "pinhole_registrations";
    public static final String APPLICATION_NAME = "pinhole-binding-listener";

    private static final Logger LOG = LoggerFactory.getLogger(BindingListener.class);
    private static final Duration WAIT = Duration.ofMillis(500);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration LAST_RETRY = Duration.ofSeconds(10);

    private final DatabaseConnector connector;
    private final BindingRepository repository;
    private final BindingCache cache;
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder notifications = new LongAdder();

    private final boolean enabled;

    private volatile boolean running;
    private Thread thread;
    private volatile Connection connection;

    /** @param enabled false without a cluster: then it never connects */
    public BindingListener(DatabaseConnector connector, BindingRepository repository, BindingCache cache, boolean enabled) {
        this.enabled = enabled;
        this.connector = connector;
        this.repository = repository;
        this.cache = cache;
    }

    /** Times the listening connection was opened again after it was lost. */
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

    @Override
    public synchronized void start() {
        running = true;
        if (!enabled) {
            return;
        }
        thread = new Thread(this::run, "binding-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
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
                t.join(WAIT.toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        boolean connectedBefore = false;
        boolean down = false;
        long retry = FIRST_RETRY.toMillis();
        long nextHeartbeat = 0;
        while (running) {
            try {
                if (connection == null) {
                    connectAndListen();
                    reloadAll();
                    if (connectedBefore) {
                        reconnects.increment();
                    }
                    if (down) {
                        LOG.info("binding listener reconnected; bindings reloaded ({} in memory)", cache.size());
                        down = false;
                    }
                    connectedBefore = true;
                    retry = FIRST_RETRY.toMillis();
                    nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
                }
                PGNotification[] received = connection.unwrap(PGConnection.class).getNotifications((int) WAIT.toMillis());
                if (received != null && received.length > 0) {
                    take(received);
                } else if (System.nanoTime() - nextHeartbeat > 0) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SELECT 1");
                    }
                    nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!down) {
                    LOG.warn("binding listener lost the database ({}); routing from the {} bindings known, "
                            + "reconnecting with back-off", e.getMessage(), cache.size());
                    down = true;
                }
                closeQuietly();
                sleep(retry);
                retry = Math.min(retry * 2, LAST_RETRY.toMillis());
            }
        }
        closeQuietly();
    }

    private void take(PGNotification[] received) {
        boolean all = false;
        java.util.Set<Long> users = new java.util.LinkedHashSet<>();
        for (PGNotification notification : received) {
            notifications.increment();
            Optional<RegistrationChange> change = RegistrationChange.parse(notification.getParameter());
            if (change.isEmpty()) {
                LOG.warn("binding listener: unreadable notification '{}', reloading every binding",
                        notification.getParameter());
                all = true;
            } else if (change.get() instanceof RegistrationChange.All) {
                all = true;
            } else if (change.get() instanceof RegistrationChange.User user) {
                users.add(user.userId());
            }
        }
        if (all) {
            reloadAll();
            return;
        }
        users.forEach(this::reloadUser);
    }

    private void reloadUser(long userId) {
        List<Binding> stored = repository.loadLive(userId);
        if (!stored.isEmpty()) {
            cache.mergeStored(stored.get(0).aor(), stored);
            return;
        }
        Optional<String> aor = repository.aorOf(userId);
        if (aor.isPresent()) {
            cache.mergeStored(aor.get(), List.of());
        } else {
            cache.dropAllOf(userId); // the user was deleted: no write of ours can be pending for them
        }
    }

    private void reloadAll() {
        List<Binding> stored = repository.loadLive();
        cache.mergeAllStored(stored);
        LOG.debug("binding listener: {} stored bindings taken in", stored.size());
    }

    private void connectAndListen() throws SQLException {
        connection = connector.open();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the listening connection: {}", e.getMessage());
            }
            connection = null;
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
