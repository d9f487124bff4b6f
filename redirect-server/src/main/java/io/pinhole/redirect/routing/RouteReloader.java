package io.pinhole.redirect.routing;

import io.pinhole.db.notify.ListenConnector;
import io.pinhole.db.notify.NotificationListener;
import io.pinhole.redirect.config.RedirectProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Keeps {@link CurrentRoutes} in step with the {@code routes} table: the database module's
 * {@link NotificationListener} LISTENs on {@code pinhole_routes} (the trigger of V2__routes.sql
 * notifies on every committed change) and this reloads the whole table when woken, so a change is
 * served within the poll interval plus one query. When the database goes away the last table keeps
 * being served and the listener reconnects.
 *
 * <p>Started before the SIP listening points (lower phase), and its first load is synchronous:
 * the server never answers 404 just because it has not read its routes yet.
 */
public final class RouteReloader implements SmartLifecycle, NotificationListener.Subscriber {

    public static final String CHANNEL = "pinhole_routes";
    public static final String APPLICATION_NAME = "pinhole-route-reloader";
    public static final int PHASE = 0;

    private static final Logger LOG = LoggerFactory.getLogger(RouteReloader.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private final RouteRepository repository;
    private final CurrentRoutes current;
    private final int defaultExpires;
    private final Clock clock;
    private final NotificationListener listener;

    public RouteReloader(ListenConnector connector, RouteRepository repository, CurrentRoutes current,
                         RedirectProperties.Reload settings, int defaultExpires, Clock clock) {
        this.repository = repository;
        this.current = current;
        this.defaultExpires = defaultExpires;
        this.clock = clock;
        // retry-delay is a fixed wait between attempts: the back-off starts and ends there
        this.listener = new NotificationListener("route reloader", CHANNEL, connector,
                new NotificationListener.Settings(settings.pollInterval(), HEARTBEAT, settings.retryDelay(),
                        settings.retryDelay(), settings.fullInterval()), this);
    }

    @Override
    public void start() {
        try {
            listener.startConnected();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read routes from the database: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        listener.stop();
    }

    @Override
    public boolean isRunning() {
        return listener.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void resync(Connection connection) throws SQLException {
        List<Route> routes = repository.loadEnabled(connection);
        current.replace(RouteTable.of(routes, defaultExpires), clock.instant());
        LOG.debug("loaded {} routes", routes.size());
    }

    @Override
    public void notified(List<String> payloads, Connection connection) throws SQLException {
        resync(connection); // the trigger names no row: any change reloads the table
    }

    @Override
    public String whileDown() {
        return "serving the last " + current.table().size() + " routes";
    }
}
