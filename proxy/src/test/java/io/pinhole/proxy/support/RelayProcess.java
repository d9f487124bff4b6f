package io.pinhole.proxy.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Our relay server, run from its built jar as its own process: the proxy reaches it only over
 * the ng protocol, exactly as in production.
 */
public final class RelayProcess implements AutoCloseable {

    private static final Path JAR = Path.of("..", "relay-server", "target", "pinhole-relay.jar");

    private final NgPeer peer;
    private final int portMin;
    private final int portMax;

    private RelayProcess(int portMin, int portMax, String mediaAddress, List<String> settings) {
        this.portMin = portMin;
        this.portMax = portMax;
        int controlPort = FreePorts.udpAndTcp();
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "--pinhole.relay.control-port=" + controlPort,
                "--pinhole.relay.port-min=" + portMin,
                "--pinhole.relay.port-max=" + portMax,
                "--pinhole.relay.media-address=" + mediaAddress,
                // The start-up warm-up runs, shorter than the production default's 2,000 calls.
                "--pinhole.relay.warm-up-calls=200",
                "--server.port=0"));
        settings.forEach(setting -> arguments.add("--" + setting));
        peer = new NgPeer("relay", ChildProcess.java("relay", JAR, arguments), controlPort, Duration.ofSeconds(60));
    }

    public static RelayProcess start(int portMin, int portMax) {
        return start(portMin, portMax, "127.0.0.1");
    }

    /** A relay whose media ports bind {@code mediaAddress} (and which writes it into SDP). */
    public static RelayProcess start(int portMin, int portMax, String mediaAddress) {
        return new RelayProcess(portMin, portMax, mediaAddress, List.of());
    }

    /** A relay on loopback with more settings, e.g. {@code pinhole.relay.timeout=3s}. */
    public static RelayProcess withSettings(int portMin, int portMax, String... settings) {
        return new RelayProcess(portMin, portMax, "127.0.0.1", List.of(settings));
    }

    public String control() {
        return peer.control();
    }

    public int portMin() {
        return portMin;
    }

    public int portMax() {
        return portMax;
    }

    /** Sends an ng command to the relay (e.g. {@code list}) and waits for the reply. */
    public Map<String, Object> command(Map<String, Object> command) {
        return peer.command(command);
    }

    @Override
    public void close() {
        peer.close();
    }
}
