package io.pinhole.proxy.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayCapabilitiesTest {

    @ParameterizedTest(name = "{1} on a relay offering {0}")
    @CsvSource(delimiter = '|', textBlock = """
            udp            | RELAY_UDP  | RELAY_UDP  | UDP only
            udp            | RELAY_TCP  | RELAY_UDP  | UDP only
            udp            | RELAY_HTTP | RELAY_UDP  | UDP only
            udp            | PUNCH      | RELAY_UDP  | UDP only
            udp            | DIRECT     | DIRECT     | UDP only
            udp,tcp        | RELAY_HTTP | RELAY_TCP  | UDP, TCP
            udp,http       | RELAY_TCP  | RELAY_HTTP | UDP, HTTP
            udp,tcp,http   | RELAY_HTTP | RELAY_HTTP | UDP, TCP, HTTP
            udp,punch      | PUNCH      | PUNCH      | UDP only
            """)
    void fallsBackToTheBestPathItOffers(String offers, MediaPath planned, MediaPath taken, String described) {
        RelayCapabilities relay = Legs.relay(offers);

        assertThat(relay.best(planned)).isEqualTo(taken);
        assertThat(relay.describe()).isEqualTo(described);
    }

    @Test
    void aRelayOffersUdpAndNeverDirect() {
        assertThatThrownBy(() -> new RelayCapabilities(Set.of(MediaPath.RELAY_TCP)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY_UDP");
        assertThatThrownBy(() -> new RelayCapabilities(Set.of(MediaPath.RELAY_UDP, MediaPath.DIRECT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DIRECT");
    }
}
