package io.pinhole.proxy.support;

import io.pinhole.proxy.relay.NgClient;
import org.junit.jupiter.api.Assumptions;

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
 * A real rtpengine (Debian package rtpengine-daemon) in userspace mode, on loopback only, for
 * showing the proxy drives it exactly as it drives our relay. In CI (CI=true) a missing binary
 * fails the test; on a developer machine it skips it.
 */
public final class RtpengineProcess implements AutoCloseable {

    private final ChildProcess process;
    private final int controlPort;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final NgClient client;

    private RtpengineProcess(int portMin, int portMax) throws IOException {
        controlPort = FreePorts.udpAndTcp();
        process = ChildProcess.start("rtpengine", List.of("rtpengine", "--config-file=none", "--foreground",
                "--log-stderr", "--table=-1", "--interface=127.0.0.1", "--listen-ng=127.0.0.1:" + controlPort,
                "--port-min=" + portMin, "--port-max=" + portMax, "--delete-delay=0", "--log-level=5"));
        client = new NgClient(new InetSocketAddress("127.0.0.1", controlPort), "", Duration.ofMillis(500), timer);
        NgReady.await(client, process, "rtpengine", Duration.ofSeconds(20), this::close);
    }

    public static RtpengineProcess start(int portMin, int portMax) {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/rtpengine"));
        if (!installed) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("rtpengine is not installed (apt-get install rtpengine-daemon)");
            }
            Assumptions.abort("rtpengine not installed on this machine");
        }
        try {
            return new RtpengineProcess(portMin, portMax);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String control() {
        return "127.0.0.1:" + controlPort;
    }

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
