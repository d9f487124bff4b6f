package io.pinhole.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer a test runs as its own process (our relay or redirect server jar, rtpengine), its
 * output kept in a log file, stopped on {@link #close()} and also when the test JVM is killed.
 */
public final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Thread killer;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.killer = new Thread(process::destroyForcibly, "stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(killer);
    }

    public static ChildProcess start(String name, List<String> command) {
        try {
            Path log = Scratch.file(name, ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ChildProcess(process, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0), e);
        }
    }

    /** A jar of this build, run on the test's own JDK. */
    public static ChildProcess java(String name, Path jar, List<String> arguments) {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it first (mvn package)");
        }
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()));
        command.addAll(arguments);
        return start(name, command);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** What it printed so far (for a failure message). */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * SIGSTOP, then SIGCONT after {@code pause}: the process hangs as a stalled machine or a long
     * GC would make it, without losing any state or socket.
     */
    public void freeze(java.time.Duration pause) throws InterruptedException {
        signal("STOP");
        try {
            Thread.sleep(pause.toMillis());
        } finally {
            signal("CONT");
        }
    }

    private void signal(String name) throws InterruptedException {
        try {
            int rc = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited " + rc);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + process.pid(), e);
        }
    }

    /** SIGKILL, as a crash or the OOM killer would end it: no shutdown of its own; waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting: the hook runs anyway
        }
    }
}
