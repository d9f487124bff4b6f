package io.pinhole.proxy.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * This proxy's view of each relay in its pool, per relay name: whether it answers
 * ({@code pinhole.relay.pool.up}), whether it is draining, how many of our calls it carries and its
 * weight. The relays' own metrics say how busy a relay is; these say how this proxy sees and uses
 * it, which is what tells an operator why calls avoid a relay. The pool changes when the
 * {@code relays} table does, so the rows are redrawn every few seconds.
 */
public final class RelayPoolMetrics {

    private final RelayPool pool;
    private final MultiGauge up;
    private final MultiGauge draining;
    private final MultiGauge calls;
    private final MultiGauge weight;

    public RelayPoolMetrics(RelayPool pool, MeterRegistry meters) {
        this.pool = pool;
        this.up = MultiGauge.builder("pinhole.relay.pool.up")
                .description("1 while the relay answers this proxy's pings, 0 while it is taken out of the pool")
                .register(meters);
        this.draining = MultiGauge.builder("pinhole.relay.pool.draining")
                .description("1 while the relay takes no new calls of this proxy").register(meters);
        this.calls = MultiGauge.builder("pinhole.relay.pool.calls")
                .description("this proxy's calls on the relay").register(meters);
        this.weight = MultiGauge.builder("pinhole.relay.pool.weight").register(meters);
        refresh();
    }

    @Scheduled(fixedDelayString = "${pinhole.media.relay-metrics-interval:5s}")
    public void refresh() {
        List<Relay> relays = pool.relays();
        up.register(rows(relays, r -> r.up() ? 1 : 0), true);
        draining.register(rows(relays, r -> r.draining() ? 1 : 0), true);
        calls.register(rows(relays, Relay::active), true);
        weight.register(rows(relays, Relay::weight), true);
    }

    private static List<MultiGauge.Row<?>> rows(List<Relay> relays, java.util.function.ToIntFunction<Relay> value) {
        return relays.stream().<MultiGauge.Row<?>>map(r -> MultiGauge.Row.of(Tags.of("relay", r.name()), r,
                relay -> value.applyAsInt(relay))).toList();
    }
}
