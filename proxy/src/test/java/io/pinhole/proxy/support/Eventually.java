package io.pinhole.proxy.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or the limit passes (every wait in a test is bounded). */
public final class Eventually {

    private Eventually() {
    }

    public static void eventually(Duration limit, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
