package io.pinhole.proxy.dns;

import io.pinhole.proxy.sip.Flow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TargetHealthTest {

    private final DnsCacheTest.MovingClock clock = new DnsCacheTest.MovingClock();
    private final TargetHealth health = new TargetHealth(clock, Duration.ofSeconds(60));
    private final Flow first = new Flow("192.0.2.1", 5060, "UDP");
    private final Flow second = new Flow("192.0.2.2", 5060, "UDP");
    private final Flow third = new Flow("192.0.2.3", 5060, "UDP");

    @Test
    void failedHopGoesLastForAWhile() {
        health.failed(first);
        assertThat(health.order(List.of(first, second, third))).containsExactly(second, third, first);
        clock.advance(Duration.ofSeconds(60));
        assertThat(health.order(List.of(first, second, third))).containsExactly(first, second, third);
    }

    @Test
    void allFailedKeepTheirOrder() {
        health.failed(second);
        health.failed(first);
        assertThat(health.order(List.of(first, second))).containsExactly(first, second);
    }

    @Test
    void sameAddressOtherPortIsAnotherHop() {
        health.failed(first);
        assertThat(health.avoided(new Flow("192.0.2.1", 5080, "UDP"))).isFalse();
        assertThat(health.avoided(new Flow("192.0.2.1", 5060, "TCP"))).isFalse();
    }
}
