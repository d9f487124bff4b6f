package io.pinhole.proxy.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
        assertThat(flags.ice()).isEqualTo("remove");
    }

    @Test
    void aPublicLegIsReachedWhereItsSdpSays() {
        NgFlags flags = NgFlags.forLeg(new LegPlan("callee", false, MediaPath.DIRECT, MediaPath.RELAY_UDP, "r"));

        assertThat(flags.flags()).isEmpty();
        assertThat(flags.replace()).containsExactly("origin", "session-connection");
        assertThat(flags.ice()).isEqualTo("remove");
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

    @ParameterizedTest
    @EnumSource(value = MediaPath.class, names = {"RELAY_UDP", "PUNCH"}, mode = EnumSource.Mode.EXCLUDE)
    void hasNoOptionsForALegNoRelayCarries(MediaPath path) {
        assertThatThrownBy(() -> NgFlags.forLeg(path, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(path.name());
    }
}
