package io.pinhole.relay.support;

import java.util.concurrent.Callable;

/** Polls a condition until it holds or a timeout passes. */
public final class Await {

    private Await() {
    }

    public static boolean until(long timeoutMillis, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.call();
    }
}
