package io.pinhole.proxy.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NgFlagsTest {

    @Test
    void aLegBehindNatIsReachedWhereItsPacketsComeFrom() {
        NgFlags flags = NgFlags.forLeg(new LegPlan("caller", true, MediaPath.RELAY_UDP, MediaPath.RELAY_UDP, "r"));

        assertThat(flags.flags()).containsExactly("SIP-source-address");
        assertThat(flags.replace()).containsExactly("origin", "session-connection");
    }

    @Test
    void aPublicLegIsReachedWhereItsSdpSays() {
        NgFlags flags = NgFlags.forLeg(new LegPlan("callee", false, MediaPath.DIRECT, MediaPath.RELAY_UDP, "r"));

        assertThat(flags.flags()).isEmpty();
        assertThat(flags.replace()).containsExactly("origin", "session-connection");
    }

    @Test
    void followsThePlannedCallersLeg() {
        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(Legs.leg("caller", "nat"), List.of(Legs.leg("callee", "public")),
                new SdpSummary("10.0.0.2", List.of())), new MediaPolicyConfig(MediaPolicy.AUTO, List.of(), true,
                Set.of()), RelayCapabilities.UDP_ONLY);

        assertThat(NgFlags.forLeg(plan.caller()).flags()).containsExactly("SIP-source-address");
    }

    @Test
    void aPunchedLegStartsRelayedWithTheSameOptions() {
        assertThat(NgFlags.forLeg(MediaPath.PUNCH, true)).isEqualTo(NgFlags.forLeg(MediaPath.RELAY_UDP, true));
    }

    @Test
    void hasNoOptionsForADirectLeg() {
        assertThatThrownBy(() -> NgFlags.forLeg(MediaPath.DIRECT, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DIRECT");
    }

    /** path taken, transport the leg asked for -> ng media-transport (null: none sent). */
    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "RELAY_UDP,  -,    -",
            "RELAY_UDP,  TLS,  -",
            "PUNCH,      TCP,  -",
            "RELAY_TCP,  -,    tcp",
            "RELAY_TCP,  TCP,  tcp",
            "RELAY_TCP,  TLS,  tls",
            "RELAY_TCP,  HTTP, tcp",
            "RELAY_HTTP, -,    http",
            "RELAY_HTTP, TLS,  http",
    })
    void streamLegsAskTheRelayForTheirTransport(MediaPath path, MediaTransport asked, String mediaTransport) {
        NgFlags flags = NgFlags.forLeg(new LegPlan("caller", true, path, path, "r", asked));

        assertThat(flags.mediaTransport()).isEqualTo(mediaTransport);
        assertThat(flags.replace()).containsExactly("origin", "session-connection");
        assertThat(flags.flags()).containsExactly("SIP-source-address");
    }

    @Test
    void aStreamLegThatFellBackToUdpAsksForNoTransport() {
        LegPlan fellBack = new LegPlan("caller", false, MediaPath.RELAY_TCP, MediaPath.RELAY_TCP, "r", MediaTransport.TLS)
                .taking(MediaPath.RELAY_UDP, "relay offers UDP only: RELAY_UDP");

        assertThat(fellBack.transport()).isEqualTo(MediaTransport.UDP);
        assertThat(NgFlags.forLeg(fellBack).mediaTransport()).isNull();
    }
}
