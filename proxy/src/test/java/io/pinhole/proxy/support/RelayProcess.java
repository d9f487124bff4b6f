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

    private final ChildProcess process;
    private final int controlPort;
    private final int portMin;
    private final int portMax;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final NgClient client;

    private RelayProcess(int portMin, int portMax, String mediaAddress) throws IOException {
        this.controlPort = FreePorts.udpAndTcp();
        this.portMin = portMin;
        this.portMax = portMax;
        process = ChildProcess.java("relay", JAR, List.of(
                "--pinhole.relay.control-port=" + controlPort,
                "--pinhole.relay.port-min=" + portMin,
                "--pinhole.relay.port-max=" + portMax,
                "--pinhole.relay.media-address=" + mediaAddress,
                "--server.port=0"));
        client = new NgClient(new InetSocketAddress("127.0.0.1", controlPort), "", Duration.ofMillis(500), timer);
        NgReady.await(client, process, "relay", Duration.ofSeconds(60), this::close);
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
        process.close();
    }
}
