package io.pinhole.proxy.support;

import io.pinhole.testsupport.ChildProcess;
import io.pinhole.testsupport.RawSip;
import io.pinhole.testsupport.Scratch;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Kamailio (Debian package {@code kamailio}) as a child process in the foreground
 * ({@code -DD -E}), its configuration generated from a class-path template whose
 * {@code @NAME@} placeholders the test fills in, its runtime directory and pid file in its own
 * scratch directory. Ready once it answers an OPTIONS on its SIP address.
 */
public final class KamailioProcess implements AutoCloseable {

    private final ChildProcess process;
    private final String host;
    private final int port;
    private final Path work;

    private KamailioProcess(ChildProcess process, String host, int port, Path work) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.work = work;
    }

    /** Why Kamailio cannot run here (the binary is missing), or null when it can. */
    public static String missingPrerequisite() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "kamailio"))) {
                return null;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin/kamailio")) ? null
                : "kamailio is not installed (apt-get install kamailio)";
    }

    /**
     * Starts Kamailio with {@code template} (e.g. {@code /kamailio/kamailio.cfg}) listening on UDP
     * {@code host:port}; {@code values} fill the template's other placeholders ({@code LISTEN} is filled here).
     */
    public static KamailioProcess start(String template, String host, int port, Map<String, String> values) {
        try {
            Path work = Scratch.directory("kamailio");
            String config;
            try (InputStream in = KamailioProcess.class.getResourceAsStream(template)) {
                if (in == null) {
                    throw new IllegalArgumentException("no Kamailio template " + template);
                }
                config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            config = config.replace("@LISTEN@", host + ":" + port);
            for (var value : values.entrySet()) {
                config = config.replace("@" + value.getKey() + "@", value.getValue());
            }
            if (config.matches("(?s).*@[A-Z_]+@.*")) {
                throw new IllegalArgumentException(template + " has unfilled placeholders");
            }
            Path file = work.resolve("kamailio.cfg");
            Files.writeString(file, config);
            Path binary = Files.isExecutable(Path.of("/usr/sbin/kamailio")) ? Path.of("/usr/sbin/kamailio") : Path.of("kamailio");
            ChildProcess process = ChildProcess.start("kamailio", List.of(binary.toString(), "-DD", "-E",
                    "-f", file.toString(), "-Y", work.toString(), "-P", work.resolve("kamailio.pid").toString(),
                    "-m", "64", "-M", "8"));
            KamailioProcess kamailio = new KamailioProcess(process, host, port, work);
            if (config.contains("hep_capture_on")) {
                kamailio.awaitListening(); // sipcapture takes every datagram as HEP: a SIP probe gets no answer
            } else {
                kamailio.awaitReady();
            }
            return kamailio;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare Kamailio's configuration", e);
        }
    }

    /** Until its workers run: the line each UDP worker logs once it is set up, or a 20 s limit. */
    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!output().contains("Listening on")) {
            if (!process.alive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("kamailio did not start:\n" + output());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        try {
            Thread.sleep(500); // the line comes from the main process before it forks its UDP workers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (RawSip probe = new RawSip(InetAddress.getByName(host), port)) {
            while (true) {
                Optional<String> answer = probe.request("OPTIONS sip:" + host + ":" + port + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP " + host + ":" + probe.localPort() + ";branch=z9hG4bKup" + System.nanoTime()
                        + ";rport\r\nFrom: <sip:probe@test.invalid>;tag=1\r\nTo: <sip:" + host + ">\r\nCall-ID: up"
                        + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
                if (answer.isPresent()) {
                    return;
                }
                if (!process.alive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("kamailio did not start:\n" + output());
                }
            }
        }
    }

    public String address() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Its configuration as generated, for failure messages. */
    public Path config() {
        return work.resolve("kamailio.cfg");
    }

    /** What it logged so far (stderr, with -E), for failure messages. */
    public String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
