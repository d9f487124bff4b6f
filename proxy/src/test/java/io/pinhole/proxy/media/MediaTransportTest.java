package io.pinhole.proxy.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediaTransportTest {

    /** path taken, transport preferred -> transport used. */
    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "DIRECT,     TLS,  UDP",
            "PUNCH,      TCP,  UDP",
            "RELAY_UDP,  HTTP, UDP",
            "RELAY_TCP,  -,    TCP",
            "RELAY_TCP,  UDP,  TCP",
            "RELAY_TCP,  TCP,  TCP",
            "RELAY_TCP,  TLS,  TLS",
            "RELAY_TCP,  HTTP, TCP",
            "RELAY_HTTP, -,    HTTP",
            "RELAY_HTTP, TLS,  HTTP",
    })
    void aPathCarriesTheTransportItCan(MediaPath path, MediaTransport preferred, MediaTransport used) {
        assertThat(MediaTransport.carrying(path, preferred)).isEqualTo(used);
    }

    @Test
    void parsesWireNamesInAnyCase() {
        assertThat(MediaTransport.parse("TLS")).isEqualTo(MediaTransport.TLS);
        assertThat(MediaTransport.parse(" http ")).isEqualTo(MediaTransport.HTTP);
        assertThat(MediaTransport.parse("sctp")).isNull();
        assertThat(MediaTransport.parse(null)).isNull();
        assertThat(MediaTransport.TLS.wire()).isEqualTo("tls");
    }

    @Test
    void aGrantNamesThePortOfEachTransport() {
        StreamGrant grant = StreamGrant.fromReply(Map.of("tcp-token", "tok", "tcp-port", 4571L, "tls-port", 443L),
                "tcp-token");

        assertThat(grant).isEqualTo(new StreamGrant("tok", 4571, 443, 0));
        assertThat(grant.port(MediaTransport.TCP)).isEqualTo(4571);
        assertThat(grant.port(MediaTransport.TLS)).isEqualTo(443);
        assertThat(grant.port(MediaTransport.HTTP)).as("HTTPS on the TLS port").isEqualTo(443);
        assertThat(new StreamGrant("tok", 0, 443, 80).port(MediaTransport.HTTP)).isEqualTo(80);
        assertThat(StreamGrant.fromReply(Map.of("result", "ok"), "tcp-token")).isNull();
        assertThat(StreamGrant.fromReply(Map.of("answerer-tcp-token", "a"), "answerer-tcp-token").token()).isEqualTo("a");
    }

    @Test
    void theAnswererAsksForTheFirstStreamForksTransport() {
        LegPlan caller = new LegPlan("caller", false, MediaPath.RELAY_UDP, MediaPath.RELAY_UDP, "r");
        LegPlan udp = new LegPlan("callee a", false, MediaPath.RELAY_UDP, MediaPath.RELAY_UDP, "r");
        LegPlan tls = new LegPlan("callee b", true, MediaPath.RELAY_TCP, MediaPath.RELAY_TCP, "r", MediaTransport.TLS);

        assertThat(new MediaPlan(MediaPath.RELAY_UDP, true, "r", List.of(new PathPlan(caller, udp),
                new PathPlan(caller, tls))).answererTransport()).isEqualTo(MediaTransport.TLS);
        assertThat(new MediaPlan(MediaPath.RELAY_UDP, true, "r", List.of(new PathPlan(caller, udp)))
                .answererTransport()).isNull();
        assertThat(RelayCapabilities.of(Set.of(MediaTransport.TLS), true).offers())
                .containsExactlyInAnyOrder(MediaPath.RELAY_UDP, MediaPath.RELAY_TCP, MediaPath.PUNCH);
        assertThat(RelayCapabilities.of(Set.of(), false).offers()).containsExactly(MediaPath.RELAY_UDP);
    }

    @Test
    void theRelayServesTheCallersAndEveryForksStreamTransportAndTheCallerLegIsTheFirstRelayedOne() {
        LegPlan direct = new LegPlan("caller", false, MediaPath.DIRECT, MediaPath.DIRECT, "r");
        LegPlan tcpCaller = new LegPlan("caller", true, MediaPath.RELAY_TCP, MediaPath.RELAY_TCP, "r", MediaTransport.TCP);
        LegPlan udp = new LegPlan("callee a", false, MediaPath.RELAY_UDP, MediaPath.RELAY_UDP, "r");
        LegPlan tls = new LegPlan("callee b", true, MediaPath.RELAY_TCP, MediaPath.RELAY_TCP, "r", MediaTransport.TLS);

        MediaPlan mixed = new MediaPlan(MediaPath.RELAY_UDP, true, "r",
                List.of(new PathPlan(direct, udp), new PathPlan(tcpCaller, tls), new PathPlan(tcpCaller, null)));
        assertThat(mixed.relayTransports()).containsExactlyInAnyOrder(MediaTransport.TCP, MediaTransport.TLS);
        assertThat(mixed.caller()).isSameAs(tcpCaller);
        MediaPlan udpOnly = new MediaPlan(MediaPath.RELAY_UDP, true, "r", List.of(new PathPlan(direct, udp)));
        assertThat(udpOnly.relayTransports()).isEmpty();
        assertThat(udpOnly.caller()).isSameAs(direct);
        assertThatThrownBy(() -> mixed.relayTransports().add(MediaTransport.HTTP))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
