package io.pinhole.relay.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.relay.RelayServer;
import io.pinhole.relay.stats.RelayMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the relay into the Spring application: one {@link RelayServer}, its metrics. */
@Configuration(proxyBeanMethods = false)
public class RelayConfiguration {

    @Bean(destroyMethod = "close")
    RelayServer relayServer(RelayProperties properties, MeterRegistry meters) throws InterruptedException {
        RelayServer server = new RelayServer(properties);
        RelayMetrics.bind(server.statistics(), meters);
        Gauge.builder("pinhole.relay.stream.connections", server, RelayServer::streamConnections)
                .description("TCP and TLS media connections open, bound to a call or not").register(meters);
        return server;
    }
}
