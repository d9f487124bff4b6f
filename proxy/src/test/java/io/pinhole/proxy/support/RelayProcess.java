package io.pinhole.proxy.support;

import io.pinhole.proxy.relay.NgClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Our relay server, run from its built jar as its own process: the proxy reaches it only over
 * the ng protocol, exactly as in production.
 */
public final class RelayProcess implements AutoCloseable {

    private static final Path JAR = Path.of("..", "relay-server", "target", "pinhole-relay.jar");

    private final Process process;
    private final int controlPort;
    private final int portMin;
    private final int portMax;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final NgClient client;

    private RelayProcess(int portMin, int portMax, String mediaAddress) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build the relay first (mvn -pl relay-server package)");
        }
        this.controlPort = FreePorts.udpAndTcp();
        this.portMin = portMin;
        this.portMax = portMax;
        Path log = Files.createTempFile("relay", ".log");
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toString(),
                "--pinhole.relay.control-port=" + controlPort,
                "--pinhole.relay.port-min=" + portMin,
                "--pinhole.relay.port-max=" + portMax,
                "--pinhole.relay.media-address=" + mediaAddress,
                "--server.port=0"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // A killed test JVM must not leave this process behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        client = new NgClient(new InetSocketAddress("127.0.0.1", controlPort), "", Duration.ofMillis(500), timer);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                client.send(Map.of("command", "ping")).get(1, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("relay did not start: " + Files.readString(log));
                }
            }
        }
    }

    public static RelayProcess start(int portMin, int portMax) {
        return start(portMin, portMax, "127.0.0.1");
    }

    /** A relay whose media ports bind {@code mediaAddress} (and which writes it into SDP). */
    public static RelayProcess start(int portMin, int portMax, String mediaAddress) {
        try {
            return new RelayProcess(portMin, portMax, mediaAddress);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String control() {
        return "127.0.0.1:" + controlPort;
    }

    public int portMin() {
        return portMin;
    }

    public int portMax() {
        return portMax;
    }

    /** Sends an ng command to the relay (e.g. {@code list}) and waits for the reply. */
    public Map<String, Object> command(Map<String, Object> command) {
        try {
            return client.send(command).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ng " + command.get("command") + " failed", e);
        }
    }

    @Override
    public void close() {
        client.close();
        timer.shutdownNow();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
