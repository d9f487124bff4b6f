package io.pinhole.proxy.keepalive;

import java.util.Arrays;

/**
 * Hands out slots so that none holds more than it must: each new entry goes to a slot with the
 * fewest entries, the first such one from where the last went. Filled from empty, the slots
 * differ by one entry at most; a slot that lost one is the next refilled. Finding a slot costs a
 * step while the slots fill in turn, at most a walk over them all when one alone lost an entry.
 * One thread only.
 */
final class EvenSlots {

    private final int[] sizes;
    /** How many slots hold {@code i} entries. */
    private int[] atSize = new int[4];
    private int fewest;
    private int next;

    EvenSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, was " + slots);
        }
        sizes = new int[slots];
        atSize[0] = slots;
    }

    /** A slot for a new entry, counted as taken. */
    int take() {
        int slot = next;
        while (sizes[slot] != fewest) {
            slot = (slot + 1) % sizes.length;
        }
        next = (slot + 1) % sizes.length;
        move(slot, +1);
        if (atSize[fewest] == 0) {
            fewest++;
        }
        return slot;
    }

    /** An entry left {@code slot}. */
    void release(int slot) {
        if (sizes[slot] == 0) {
            throw new IllegalStateException("slot " + slot + " holds nothing");
        }
        move(slot, -1);
        fewest = Math.min(fewest, sizes[slot]);
    }

    int size(int slot) {
        return sizes[slot];
    }

    private void move(int slot, int by) {
        atSize[sizes[slot]]--;
        sizes[slot] += by;
        if (sizes[slot] >= atSize.length) {
            atSize = Arrays.copyOf(atSize, atSize.length * 2);
        }
        atSize[sizes[slot]]++;
    }
}
