package io.pinhole.proxy.support;

import io.pinhole.testsupport.ChildProcess;
import io.pinhole.testsupport.FreePorts;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real rtpengine (Debian package rtpengine-daemon) in userspace mode, on loopback only, for
 * showing the proxy drives it exactly as it drives our relay. In CI (CI=true) a missing binary
 * fails the test; on a developer machine it skips it.
 */
public final class RtpengineProcess implements AutoCloseable {

    private final NgPeer peer;

    private RtpengineProcess(String mediaAddress, int portMin, int portMax, List<String> options) {
        int controlPort = FreePorts.udpAndTcp();
        List<String> command = new java.util.ArrayList<>(List.of("rtpengine", "--config-file=none",
                "--foreground", "--log-stderr", "--table=-1", "--interface=" + mediaAddress,
                "--listen-ng=127.0.0.1:" + controlPort, "--port-min=" + portMin, "--port-max=" + portMax,
                "--delete-delay=0", "--log-level=5"));
        command.addAll(options);
        peer = new NgPeer("rtpengine", ChildProcess.start("rtpengine", command), controlPort, Duration.ofSeconds(20));
    }

    public static RtpengineProcess start(int portMin, int portMax) {
        return start(portMin, portMax, new String[0]);
    }

    /** With more command-line options, e.g. {@code --timeout=3}. */
    public static RtpengineProcess start(int portMin, int portMax, String... options) {
        return startOn("127.0.0.1", portMin, portMax, options);
    }

    /**
     * With its media on {@code mediaAddress} (a test segment's address, e.g. the NAT topology's
     * public one) instead of loopback; its ng control socket stays on loopback.
     */
    public static RtpengineProcess startOn(String mediaAddress, int portMin, int portMax, String... options) {
        if (!Files.isExecutable(Path.of("/usr/bin/rtpengine"))) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("rtpengine is not installed (apt-get install rtpengine-daemon)");
            }
            Assumptions.abort("rtpengine not installed on this machine");
        }
        return new RtpengineProcess(mediaAddress, portMin, portMax, List.of(options));
    }

    public String control() {
        return peer.control();
    }

    public Map<String, Object> command(Map<String, Object> command) {
        return peer.command(command);
    }

    @Override
    public void close() {
        peer.close();
    }
}
