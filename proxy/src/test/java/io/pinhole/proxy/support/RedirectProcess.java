package io.pinhole.proxy.support;

import io.pinhole.testsupport.ChildProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.RawSip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Our redirect server, run from its built jar as its own process against a given database. */
public final class RedirectProcess implements AutoCloseable {

    /** Named by the proxy's pom, which also makes the reactor build it first. */
    private static final Path JAR = BuiltJar.named("pinhole.test.redirect-jar");

    private final ChildProcess process;
    private final int port;
    private final String bindAddress;

    private RedirectProcess(String databaseUrl, int port, String bindAddress, List<String> extraArguments) throws IOException {
        this.bindAddress = bindAddress;
        this.port = port;
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "--spring.datasource.url=" + databaseUrl, "--spring.datasource.username=postgres",
                "--spring.datasource.password=", "--pinhole.redirect.sip.port=" + port,
                "--pinhole.redirect.sip.bind-address=" + bindAddress, "--server.port=0"));
        arguments.addAll(extraArguments);
        process = ChildProcess.java("redirect", JAR, arguments);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (RawSip probe = new RawSip(java.net.InetAddress.getByName(bindAddress), port)) {
            while (true) {
                Optional<String> answer = probe.request("OPTIONS sip:" + bindAddress + ":" + port + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP " + bindAddress + ":" + probe.localPort() + ";branch=z9hG4bKup" + System.nanoTime() + "\r\n"
                        + "From: <sip:probe@test.invalid>;tag=1\r\nTo: <sip:" + bindAddress + ">\r\nCall-ID: up" + System.nanoTime()
                        + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
                if (answer.isPresent()) {
                    return;
                }
                if (!process.alive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("redirect server did not start: " + process.output());
                }
            }
        }
    }

    public static RedirectProcess start(String databaseUrl) {
        return start(databaseUrl, FreePorts.udpAndTcp());
    }

    /** On a port chosen beforehand (so a proxy can be configured with it before this starts). */
    public static RedirectProcess start(String databaseUrl, int port) {
        return start(databaseUrl, port, "127.0.0.1");
    }

    /** Listening on {@code bindAddress} (a test segment's address) instead of loopback. */
    public static RedirectProcess start(String databaseUrl, int port, String bindAddress) {
        return start(databaseUrl, port, bindAddress, List.of());
    }

    /** With more command-line settings ({@code --name=value}). */
    public static RedirectProcess start(String databaseUrl, int port, String bindAddress, List<String> extraArguments) {
        try {
            return new RedirectProcess(databaseUrl, port, bindAddress, extraArguments);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String address() {
        return bindAddress + ":" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.close();
    }
}
