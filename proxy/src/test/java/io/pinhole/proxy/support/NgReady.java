package io.pinhole.proxy.support;

import io.pinhole.proxy.relay.NgClient;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Waits until a relay started as a child process answers an ng ping. */
final class NgReady {

    private NgReady() {
    }

    /** @return normally once the relay answers; throws (after {@code onFailure}) when it died or took too long */
    static void await(NgClient client, ChildProcess process, String name, Duration limit, Runnable onFailure) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                client.send(Map.of("command", "ping")).get(1, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                if (!process.alive() || System.nanoTime() > deadline) {
                    onFailure.run();
                    throw new IllegalStateException(name + " did not start: " + process.output());
                }
            }
        }
    }
}
