package io.pinhole.proxy.overload;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LoadGaugeTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicLong relay = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();
    private final LoadGauge gauge = new LoadGauge(() -> 0, () -> 0, () -> {
        reads.incrementAndGet();
        return relay.get();
    }, new Shedding(400, 200), now::get);

    @Test
    void refusesWhileTheRelayIsLateAndAdmitsAgainOnceItIsNot() {
        assertThat(gauge.cause()).isEqualTo(Shedding.Cause.NONE);

        relay.set(350);
        now.addAndGet(LoadGauge.REFRESH_NANOS);
        assertThat(gauge.cause()).isEqualTo(Shedding.Cause.RELAY_LATE);
        assertThat(gauge.load()).isEqualTo(new Load(0, 0, 350));

        relay.set(3);
        now.addAndGet(LoadGauge.REFRESH_NANOS);
        assertThat(gauge.cause()).isEqualTo(Shedding.Cause.NONE);
    }

    /** One measure walks every ng command in flight: not once per INVITE at thousands a second. */
    @Test
    void measuresAtMostOncePerRefreshInterval() {
        for (int i = 0; i < 1000; i++) {
            gauge.cause();
        }
        assertThat(reads).hasValue(1);

        relay.set(350);
        now.addAndGet(LoadGauge.REFRESH_NANOS - 1);
        assertThat(gauge.cause()).as("the earlier reading still holds").isEqualTo(Shedding.Cause.NONE);
        now.addAndGet(1);
        assertThat(gauge.cause()).isEqualTo(Shedding.Cause.RELAY_LATE);
        assertThat(reads).hasValue(2);
    }
}
