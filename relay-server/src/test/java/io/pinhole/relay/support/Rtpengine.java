package io.pinhole.relay.support;

import io.pinhole.testsupport.Binaries;
import io.pinhole.testsupport.Scratch;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real rtpengine (Debian {@code rtpengine-daemon}), userspace only ({@code --table=-1}), with its
 * own config bound to loopback, media in 43000-43999, started and stopped by the test.
 */
public final class Rtpengine implements RelayTarget {

    private final Process process;
    private final InetSocketAddress ng;
    private final Path log;

    public Rtpengine() throws Exception {
        Path binary = Binaries.require("rtpengine");
        Path dir = Scratch.directory("rtpengine-it");
        Path conf = dir.resolve("rtpengine.conf");
        try (InputStream in = Rtpengine.class.getResourceAsStream("/interop/rtpengine.conf")) {
            Files.copy(in, conf, StandardCopyOption.REPLACE_EXISTING);
        }
        this.log = dir.resolve("rtpengine.log");
        this.ng = new InetSocketAddress(InetAddress.getLoopbackAddress(), freeUdpPort());
        this.process = new ProcessBuilder(binary.toString(), "--config-file=" + conf, "--config-section=rtpengine",
                "--table=-1", "--foreground", "--log-stderr", "--num-threads=1",
                "--listen-ng=127.0.0.1:" + ng.getPort(), "--port-min=43000", "--port-max=43999")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (NgClient client = new NgClient(ng)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    if ("pong".equals(client.call(Map.of("command", "ping")).get("result"))) {
                        return;
                    }
                } catch (IOException e) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        close();
                        throw new IllegalStateException("rtpengine did not start: " + tail());
                    }
                }
            }
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    @Override
    public InetSocketAddress ng() {
        return ng;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
