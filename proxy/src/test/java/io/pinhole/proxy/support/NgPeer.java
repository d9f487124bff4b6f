package io.pinhole.proxy.support;

import io.pinhole.testsupport.ChildProcess;
import io.pinhole.wire.ng.NgClient;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A relay (ours or rtpengine) a test runs as a child process, with an ng client on its control
 * port: waits for it to answer a ping, sends commands, stops both.
 */
final class NgPeer implements AutoCloseable {

    private final ChildProcess process;
    private final int controlPort;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final NgClient client;

    /** @throws IllegalStateException (after stopping it) when it dies or does not answer within {@code limit} */
    NgPeer(String name, ChildProcess process, int controlPort, Duration limit) {
        this.process = process;
        this.controlPort = controlPort;
        this.client = new NgClient(new InetSocketAddress("127.0.0.1", controlPort), "", Duration.ofMillis(500), timer);
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                client.send(Map.of("command", "ping")).get(1, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                if (!process.alive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException(name + " did not start: " + process.output());
                }
            }
        }
    }

    /** What the process printed so far. */
    String output() {
        return process.output();
    }

    boolean alive() {
        return process.alive();
    }

    String control() {
        return "127.0.0.1:" + controlPort;
    }

    Map<String, Object> command(Map<String, Object> command) {
        try {
            return client.send(command).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ng " + command.get("command") + " failed", e);
        }
    }

    /** Stops the process (SIGSTOP) for {@code pause}, then lets it go on: a stalled machine or a long GC. */
    public void freeze(Duration pause) throws InterruptedException {
        process.freeze(pause);
    }

    /** Kills the process at once (SIGKILL); {@link #close()} still closes the client. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        client.close();
        timer.shutdownNow();
        process.close();
    }
}
