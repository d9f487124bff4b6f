package io.pinhole.testsupport;

import java.time.Duration;

/** Polls a condition until it holds or the limit passes (every wait in a test is bounded). */
public final class Eventually {

    /** A check that may throw (an ng command, a socket): what it throws fails the test at once. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Eventually() {
    }

    public static void eventually(Duration limit, Condition condition, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check(condition)) {
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

    private static boolean check(Condition condition) {
        try {
            return condition.holds();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("checking failed", e);
        }
    }
}
