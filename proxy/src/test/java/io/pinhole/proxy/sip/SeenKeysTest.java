package io.pinhole.proxy.sip;

import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SeenKeysTest {

    @Test
    void aKeyIsNewOnlyOnceWithinTheWindow() {
        SeenKeys keys = new SeenKeys(1_000, 100);
        assertThat(keys.add(42, 0)).isTrue();
        assertThat(keys.add(42, 999)).isFalse();
        assertThat(keys.add(0, 10)).as("key 0 is a key like any other").isTrue();
        assertThat(keys.add(0, 11)).isFalse();
        assertThat(keys.add(42, 1_000)).as("its first time is a window old").isTrue();
        assertThat(keys.size()).isEqualTo(2);
    }

    @Test
    void theOldestIsDroppedFirstBeyondTheBound() {
        SeenKeys keys = new SeenKeys(1_000_000, 3);
        for (long k = 1; k <= 4; k++) {
            assertThat(keys.add(k, k)).isTrue();
        }
        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.add(4, 5)).isFalse();
        assertThat(keys.add(1, 6)).as("dropped for the fourth").isTrue();
        assertThat(keys.add(2, 7)).as("dropped for the fifth: at the bound the eldest goes before the look-up").isTrue();
    }

    /** Against the map it replaced (0 and 1 are one key for it: hashes, not values), with keys from a small range so probes collide and deletions shift. */
    @Test
    void answersLikeAnInsertionOrderedMapThroughGrowthAndDeletions() {
        SplittableRandom random = new SplittableRandom(7);
        long window = 5_000;
        int max = 20_000;
        SeenKeys keys = new SeenKeys(window, max);
        LinkedHashMap<Long, Long> model = new LinkedHashMap<>();
        long now = 0;
        for (int n = 0; n < 400_000; n++) {
            now += random.nextInt(3);
            long key = random.nextLong(1, 30_000) * (n % 2 == 0 ? 1 : 0x9E3779B97F4A7C15L);
            Iterator<Map.Entry<Long, Long>> eldest = model.entrySet().iterator();
            while (eldest.hasNext()) {
                Map.Entry<Long, Long> e = eldest.next();
                if (now - e.getValue() < window && model.size() < max) {
                    break;
                }
                eldest.remove();
            }
            boolean expected = model.putIfAbsent(key, now) == null;
            assertThat(keys.add(key, now)).as("message %d", n).isEqualTo(expected);
        }
        assertThat(keys.size()).isEqualTo(model.size());
    }
}
