package io.pinhole.proxy.keepalive;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvenSlotsTest {

    private static List<Integer> sizes(EvenSlots slots, int count) {
        return IntStream.range(0, count).mapToObj(slots::size).toList();
    }

    @Test
    void fillsTheSlotsInTurn() {
        EvenSlots slots = new EvenSlots(4);

        List<Integer> taken = IntStream.range(0, 10).map(i -> slots.take()).boxed().toList();

        assertThat(taken).containsExactly(0, 1, 2, 3, 0, 1, 2, 3, 0, 1);
        assertThat(sizes(slots, 4)).containsExactly(3, 3, 2, 2);
    }

    @Test
    void refillsASlotThatLostAnEntryFirst() {
        EvenSlots slots = new EvenSlots(4);
        for (int i = 0; i < 8; i++) {
            slots.take();
        }
        slots.release(2);
        slots.release(2);
        slots.release(1);

        assertThat(List.of(slots.take(), slots.take(), slots.take())).containsExactlyInAnyOrder(2, 2, 1);
        assertThat(sizes(slots, 4)).containsOnly(2);
    }

    @Test
    void staysWithinOneAsEntriesComeAndGoInEqualNumbers() {
        EvenSlots slots = new EvenSlots(50);
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            held.add(slots.take());
        }
        Random random = new Random(16);
        for (int i = 0; i < 5_000; i++) {
            slots.release(held.remove(random.nextInt(held.size())));
            held.add(slots.take());
            assertThat(sizes(slots, 50)).containsOnly(20);
        }
    }

    @Test
    void refusesWhatCannotBe() {
        assertThatThrownBy(() -> new EvenSlots(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvenSlots(3).release(1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("slot 1 holds nothing");
    }
}
