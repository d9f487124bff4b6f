package io.pinhole.relay.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.relay.RelayServer;
import io.pinhole.relay.capture.RtcpCapture;
import io.pinhole.relay.capture.RtcpCaptureProperties;
import io.pinhole.wire.net.IpLiteral;
import io.pinhole.relay.stats.RelayMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the relay into the Spring application: one {@link RelayServer}, its metrics. */
@Configuration(proxyBeanMethods = false)
public class RelayConfiguration {

    /** With RTCP summaries to a HEP collector when {@code pinhole.relay.capture.hep-collector} names one. */
    @Bean(destroyMethod = "close")
    RelayServer relayServer(RelayProperties properties, RtcpCaptureProperties capture, MeterRegistry meters)
            throws InterruptedException {
        RtcpCapture rtcp = capture.target()
                .map(target -> new RtcpCapture(target, IpLiteral.parse(properties.sdpAddress()))).orElse(null);
        RelayServer server;
        try {
            server = new RelayServer(properties, rtcp);
        } catch (RuntimeException | InterruptedException e) {
            if (rtcp != null) {
                rtcp.close();
            }
            throw e;
        }
        RelayMetrics.bind(server.statistics(), meters);
        Gauge.builder("pinhole.relay.stream.connections", server, RelayServer::streamConnections)
                .description("TCP and TLS media connections open, bound to a call or not").register(meters);
        return server;
    }
}
