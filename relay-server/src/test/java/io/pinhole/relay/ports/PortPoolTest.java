package io.pinhole.relay.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PortPoolTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void handsOutEvenPortsInOrder() {
        PortPool pool = new PortPool(41001, 41010, 1000, clock::get);
        assertThat(pool.capacity()).isEqualTo(4); // 41002, 41004, 41006, 41008 (41010 has no odd partner)
        assertThat(pool.allocate(2)).containsExactly(41002, 41004);
        assertThat(pool.inUse()).isEqualTo(2);
    }

    @Test
    void allocatesAllOrNothing() {
        PortPool pool = new PortPool(41000, 41005, 1000, clock::get);
        assertThat(pool.allocate(4)).isEmpty();
        assertThat(pool.inUse()).isZero();
        assertThat(pool.allocate(3)).containsExactly(41000, 41002, 41004);
    }

    @Test
    void releasedPortWaitsForTheQuietPeriodAtTheTail() {
        PortPool pool = new PortPool(41000, 41003, 1000, clock::get);
        List<Integer> both = pool.allocate(2);
        pool.release(both.get(0));
        assertThat(pool.allocate(1)).as("still quiet").isEmpty();
        clock.addAndGet(1000);
        assertThat(pool.allocate(1)).containsExactly(41000);
    }

    @Test
    void reusesOldestReleasedFirst() {
        PortPool pool = new PortPool(41000, 41005, 10, clock::get);
        pool.allocate(3);
        pool.release(41004);
        clock.addAndGet(5);
        pool.release(41000);
        clock.addAndGet(20);
        assertThat(pool.allocate(2)).containsExactly(41004, 41000);
    }

    @Test
    void rejectsAnEmptyRange() {
        assertThatThrownBy(() -> new PortPool(41000, 41000, 0, clock::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
