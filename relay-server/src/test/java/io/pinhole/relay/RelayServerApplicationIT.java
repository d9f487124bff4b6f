package io.pinhole.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.support.NgClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;

/** The packaged application: relay bean up, actuator health and Prometheus metrics served. */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pinhole.relay.control-port=0", "pinhole.relay.port-min=41000", "pinhole.relay.port-max=41999"})
class RelayServerApplicationIT {

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private RelayServer relay;

    @Test
    void servesNgHealthAndMetrics() throws Exception {
        try (NgClient ng = new NgClient(relay.controlAddress())) {
            assertThat(ng.call(Map.of("command", "ping"))).containsEntry("result", "pong");
        }
        assertThat(http.getForObject("/actuator/health", String.class)).contains("\"UP\"");
        String metrics = http.getForObject("/actuator/prometheus", String.class);
        assertThat(metrics).contains("pinhole_relay_calls_active").contains("pinhole_relay_packets_dropped_total")
                .contains("pinhole_relay_calls_timedout_total");
    }
}
