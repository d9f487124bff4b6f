package io.pinhole.proxy.media;

import io.pinhole.proxy.relay.RelayProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

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
    }
}
