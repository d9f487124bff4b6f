package io.pinhole.redirect.routing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.redirect.config.RedirectProperties;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.sql.DriverManager;
import java.time.Clock;
import java.util.Properties;

/** Wires the route table and its reloader. */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    @Bean
    CurrentRoutes currentRoutes(MeterRegistry registry) {
        CurrentRoutes current = new CurrentRoutes();
        Gauge.builder("pinhole.redirect.routes", current, c -> c.table().size())
                .description("enabled routes in the in-memory table")
                .register(registry);
        return current;
    }

    @Bean
    RouteReloader routeReloader(DataSourceProperties dataSource, CurrentRoutes current, RedirectProperties properties) {
        // Its own connection, not one from the pool: it stays checked out to LISTEN, and the
        // pool's max-lifetime would otherwise retire it under the reloader's feet.
        String url = dataSource.determineUrl();
        Properties info = new Properties();
        info.setProperty("user", dataSource.determineUsername());
        if (dataSource.determinePassword() != null) {
            info.setProperty("password", dataSource.determinePassword());
        }
        // named, so an operator (or a test) can find it in pg_stat_activity
        info.setProperty("ApplicationName", RouteReloader.APPLICATION_NAME);
        DatabaseConnector connector = () -> DriverManager.getConnection(url, info);
        return new RouteReloader(connector, new RouteRepository(), current, properties.reload(),
                properties.defaultExpires(), Clock.systemUTC());
    }
}
