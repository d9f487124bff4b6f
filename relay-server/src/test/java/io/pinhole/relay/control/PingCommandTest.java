package io.pinhole.relay.control;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PingCommandTest {

    @Test
    void pongListsTheTransportsServedWithTheirPorts() {
        Map<String, Object> pong = new PingCommand(4443, 443, 80).execute(null);

        assertThat(pong).containsEntry("result", "pong");
        assertThat(pong.get("transports")).isEqualTo(List.of(Map.of("transport", "udp"),
                Map.of("transport", "tcp", "port", 4443L), Map.of("transport", "tls", "port", 443L),
                Map.of("transport", "http", "port", 80L)));
    }

    @Test
    void aTransportNotBoundIsNotListed() {
        assertThat(new PingCommand(0, 443, 0).execute(null).get("transports"))
                .isEqualTo(List.of(Map.of("transport", "udp"), Map.of("transport", "tls", "port", 443L)));
        assertThat(new PingCommand().execute(null).get("transports")).isEqualTo(List.of(Map.of("transport", "udp")));
    }
}
