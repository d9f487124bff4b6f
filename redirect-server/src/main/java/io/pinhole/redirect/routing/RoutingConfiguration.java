package io.pinhole.redirect.routing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.db.notify.ListenConnector;
import io.pinhole.redirect.config.RedirectProperties;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

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
        // Its own connection, not one from the pool, named so an operator (or a test) finds it.
        ListenConnector connector = ListenConnector.to(dataSource.determineUrl(), dataSource.determineUsername(),
                dataSource.determinePassword(), RouteReloader.APPLICATION_NAME);
        return new RouteReloader(connector, new RouteRepository(), current, properties.reload(),
                properties.defaultExpires(), Clock.systemUTC());
    }
}
