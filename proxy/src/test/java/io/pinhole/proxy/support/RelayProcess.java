package io.pinhole.proxy.support;

import io.pinhole.testsupport.ChildProcess;
import io.pinhole.testsupport.FreePorts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our relay server, run from its built jar as its own process: the proxy reaches it only over
 * the ng protocol, exactly as in production.
 */
public final class RelayProcess implements AutoCloseable {

    /** Named by the proxy's pom, which also makes the reactor build it first. */
    private static final Path JAR = BuiltJar.named("pinhole.test.relay-jar");

    private final NgPeer peer;
    private final int portMin;
    private final int portMax;

    private RelayProcess(int portMin, int portMax, String mediaAddress, Map<String, Object> settings) {
        this.portMin = portMin;
        this.portMax = portMax;
        int controlPort = FreePorts.udpAndTcp();
        // One value per setting: Spring joins a repeated command-line option into "a,b", which an
        // int setting cannot bind, so the caller's settings replace the defaults instead of following them.
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("pinhole.relay.control-port", controlPort);
        merged.put("pinhole.relay.port-min", portMin);
        merged.put("pinhole.relay.port-max", portMax);
        merged.put("pinhole.relay.media-address", mediaAddress);
        // The start-up warm-up runs, shorter than the production default's 2,000 calls.
        merged.put("pinhole.relay.warm-up-calls", 200);
        merged.put("pinhole.relay.media-warm-up", "0s"); // up to 5 s per start; no test measures latency tails
        // the STUN server is tested in the relay module; a fixed 3478 would collide between builds
        merged.put("pinhole.relay.stun-port", 0);
        // nor HTTP media on 80 (and TLS on 443 with a certificate): the tests run as root could bind them
        merged.put("pinhole.relay.http-media-port", 0);
        merged.put("pinhole.relay.tls-port", 0);
        merged.put("server.port", 0);
        merged.putAll(settings);
        List<String> arguments = new ArrayList<>();
        merged.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        // 120 s, not 60: on a saturated 2-core box (a CI run beside builds) Spring alone took 31 s and the
        // relay answered its first ping 62 s after launch
        peer = new NgPeer("relay", ChildProcess.java("relay", JAR, arguments), controlPort, Duration.ofSeconds(120));
    }

    public static RelayProcess start(int portMin, int portMax) {
        return start(portMin, portMax, "127.0.0.1");
    }

    /** A relay whose media ports bind {@code mediaAddress} (and which writes it into SDP). */
    public static RelayProcess start(int portMin, int portMax, String mediaAddress) {
        return new RelayProcess(portMin, portMax, mediaAddress, Map.of());
    }

    /**
     * The same with further relay settings, e.g. {@code pinhole.relay.keepalive-interval} → {@code 0s};
     * they replace the defaults above.
     */
    public static RelayProcess start(int portMin, int portMax, String mediaAddress, Map<String, Object> settings) {
        return new RelayProcess(portMin, portMax, mediaAddress, settings);
    }

    /**
     * A relay that also answers STUN on {@code stunPort} of {@code mediaAddress} (and the next port,
     * its RFC 5780 alternate), for tests where a phone's STUN client learns its public mapping.
     */
    public static RelayProcess startWithStun(int portMin, int portMax, String mediaAddress, int stunPort) {
        return new RelayProcess(portMin, portMax, mediaAddress, Map.of("pinhole.relay.stun-port", stunPort, "pinhole.relay.stun-alternate-port", 0));
    }

    public String control() {
        return peer.control();
    }

    /** What the relay printed so far (its log). */
    public String output() {
        return peer.output();
    }

    public boolean alive() {
        return peer.alive();
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

    /**
     * Stops the relay (SIGSTOP) for {@code pause}, then lets it go on with every call and socket it
     * had: a relay starved of CPU or in a long GC pause, alive but silent meanwhile. Blocks for {@code pause}.
     */
    public void freeze(Duration pause) throws InterruptedException {
        peer.freeze(pause);
    }

    /** Kills the relay at once (SIGKILL), as a crash would: it says goodbye to nobody. */
    public void kill() {
        peer.kill();
    }

    @Override
    public void close() {
        peer.close();
    }
}
