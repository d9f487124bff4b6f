package io.pinhole.redirect.routing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WeightedOrderTest {

    private static Redirect contact(long id, String q, int weight) {
        return new Redirect(id, "sip:x" + id + "@example", q, weight, 60);
    }

    @Test
    void spreadsFirstPlaceInProportionToWeight() {
        List<Redirect> contacts = List.of(contact(1, "1", 3), contact(2, "1", 1));
        Random random = new Random(42);
        int firstIsHeavy = 0;
        for (int i = 0; i < 10_000; i++) {
            if (WeightedOrder.arrange(contacts, random).get(0).routeId() == 1) {
                firstIsHeavy++;
            }
        }
        assertThat(firstIsHeavy / 10_000.0).isCloseTo(0.75, within(0.02));
    }

    @Test
    void keepsQOrderAndPutsZeroWeightLast() {
        List<Redirect> contacts = List.of(contact(1, "1", 0), contact(2, "1", 5), contact(3, "0.5", 1));
        for (int seed = 0; seed < 50; seed++) {
            assertThat(WeightedOrder.arrange(contacts, new Random(seed))).extracting(Redirect::routeId)
                    .containsExactly(2L, 1L, 3L);
        }
    }
}
