package io.pinhole.redirect.routing;

import io.pinhole.redirect.config.RedirectProperties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Keeps {@link CurrentRoutes} in step with the {@code routes} table. On its own connection it
 * LISTENs on {@code pinhole_routes} (the trigger of V2__routes.sql notifies on every committed
 * change) and reloads the whole table when woken, so a change is served within the poll
 * interval plus one query. It LISTENs before it reads, so no change can fall between the two.
 * When the database goes away the last table keeps being served and the reloader reconnects.
 *
 * <p>Started before the SIP listening points (lower phase), and its first load is synchronous:
 * the server never answers 404 just because it has not read its routes yet.
 */
public final class RouteReloader implements SmartLifecycle {

    public static final String CHANNEL = "pinhole_routes";
    public static final String APPLICATION_NAME = "pinhole-route-reloader";
    public static final int PHASE = 0;

    private static final Logger LOG = LoggerFactory.getLogger(RouteReloader.class);

    private final DatabaseConnector connector;
    private final RouteRepository repository;
    private final CurrentRoutes current;
    private final RedirectProperties.Reload settings;
    private final int defaultExpires;
    private final Clock clock;

    private volatile boolean running;
    private Thread thread;
    private Connection connection;

    public RouteReloader(DatabaseConnector connector, RouteRepository repository, CurrentRoutes current,
                         RedirectProperties.Reload settings, int defaultExpires, Clock clock) {
        this.connector = connector;
        this.repository = repository;
        this.current = current;
        this.settings = settings;
        this.defaultExpires = defaultExpires;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        try {
            connectAndLoad();
        } catch (SQLException e) {
            closeQuietly();
            throw new IllegalStateException("cannot read routes from the database: " + e.getMessage(), e);
        }
        running = true;
        thread = new Thread(this::run, "route-reloader");
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
                t.join(settings.pollInterval().toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void run() {
        Instant nextFullReload = clock.instant().plus(settings.fullInterval());
        boolean down = false;
        while (running) {
            try {
                if (connection == null) {
                    connectAndLoad();
                    nextFullReload = clock.instant().plus(settings.fullInterval());
                    if (down) {
                        LOG.info("route reloader reconnected; {} routes", current.table().size());
                        down = false;
                    }
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class)
                        .getNotifications((int) settings.pollInterval().toMillis());
                boolean changed = notifications != null && notifications.length > 0;
                if (changed || clock.instant().isAfter(nextFullReload)) {
                    load();
                    nextFullReload = clock.instant().plus(settings.fullInterval());
                }
            } catch (SQLException e) {
                if (!running) {
                    break;
                }
                if (!down) {
                    LOG.warn("route reloader lost the database ({}); serving the last {} routes, retrying every {}",
                            e.getMessage(), current.table().size(), settings.retryDelay());
                    down = true;
                }
                closeQuietly();
                sleep(settings.retryDelay().toMillis());
            }
        }
        closeQuietly();
    }

    private void connectAndLoad() throws SQLException {
        connection = connector.open();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        load();
    }

    private void load() throws SQLException {
        List<Route> routes = repository.loadEnabled(connection);
        current.replace(RouteTable.of(routes, defaultExpires), clock.instant());
        LOG.debug("loaded {} routes", routes.size());
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the route connection: {}", e.getMessage());
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
