package io.pinhole.proxy.relay;

import io.pinhole.proxy.media.MediaTransport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RelayTransportsTest {

    @Test
    void readsTheTransportsOurRelaysPongLists() {
        Map<String, Object> pong = Map.of("result", "pong", "transports", List.of(Map.of("transport", "udp"),
                Map.of("transport", "tls", "port", 443L), Map.of("transport", "http", "port", 80L)));

        assertThat(RelayTransports.read(pong)).containsExactlyInAnyOrder(MediaTransport.UDP, MediaTransport.TLS,
                MediaTransport.HTTP);
        assertThat(RelayTransports.describe(RelayTransports.read(pong))).isEqualTo("udp, tls, http");
    }

    @Test
    void rtpenginesPongMeansUdpOnlyAndUnknownNamesAreSkipped() {
        assertThat(RelayTransports.read(Map.of("result", "pong"))).isEqualTo(Set.of(MediaTransport.UDP));
        assertThat(RelayTransports.read(Map.of("result", "pong", "transports",
                List.of(Map.of("transport", "quic", "port", 443L), "tcp", Map.of("transport", "tcp")))))
                .isEqualTo(Set.of(MediaTransport.UDP, MediaTransport.TCP));
    }
}
