package io.pinhole.proxy.media;

import io.pinhole.proxy.relay.RelayProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PunchingPropertiesTest {

    @Test
    void bindsUnderTheRelaySettingsWithoutDisturbingThem() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "pinhole.media.policy", "always",
                "pinhole.media.trusted-relays", "203.0.113.1",
                "pinhole.media.punching.enabled", "false",
                "pinhole.media.punching.disabled-domains", "B.Example, c.example")));

        RelayProperties relay = binder.bindOrCreate("pinhole.media", RelayProperties.class);
        PunchingProperties punching = binder.bindOrCreate("pinhole.media.punching", PunchingProperties.class);
        MediaPolicyConfig policy = MediaPolicyConfig.of(relay.policy(), relay.trustedRelays(), punching);

        assertThat(policy.mode()).isEqualTo(MediaPolicy.ALWAYS);
        assertThat(policy.trustedRelays()).containsExactly("203.0.113.1");
        assertThat(policy.punching()).isFalse();
        assertThat(policy.noPunchingDomains()).containsExactlyInAnyOrder("b.example", "c.example");
    }

    @Test
    void defaultsAllowPunchingAndTrustNoRelay() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of()));

        RelayProperties relay = binder.bindOrCreate("pinhole.media", RelayProperties.class);
        PunchingProperties punching = binder.bindOrCreate("pinhole.media.punching", PunchingProperties.class);
        MediaPolicyConfig policy = MediaPolicyConfig.of(relay.policy(), relay.trustedRelays(), punching);

        assertThat(policy).isEqualTo(new MediaPolicyConfig(MediaPolicy.AUTO, List.of(), true, Set.of()));
        assertThat(policy.punchingOff("a.example", "b.example")).isNull();
        assertThat(punching.verifyWithin()).isEqualTo(Duration.ofSeconds(2));
        assertThat(punching.latchWithin()).isEqualTo(Duration.ofSeconds(10));
        assertThat(punching.pollInterval()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void refusesABoundTheChecksCannotFitInNamingTheSetting() {
        assertThatThrownBy(() -> new PunchingProperties(true, List.of(), Duration.ofSeconds(10), Duration.ofMillis(500),
                Duration.ofMillis(200))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pinhole.media.punching.poll-interval");
        assertThatThrownBy(() -> new PunchingProperties(true, List.of(), Duration.ZERO, Duration.ofSeconds(2),
                Duration.ofMillis(200))).hasMessageContaining("pinhole.media.punching.latch-within must be positive");
    }
}
