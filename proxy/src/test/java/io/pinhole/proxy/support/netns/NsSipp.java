package io.pinhole.proxy.support.netns;

import io.pinhole.testsupport.Scratch;
import io.pinhole.testsupport.Sipp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * SIPp inside a network namespace, like {@link Sipp} but with what the NAT tests need while the
 * call is up: scenarios from {@code /nat/} (or {@code /sipp/}) with {@code @NAME@} placeholders
 * filled in, a fixed media port for the SDP that the test's RTP probe then binds, and the live
 * work directory, where the {@code /nat/} scenarios drop {@code peer-media.txt} ("address port"
 * of the SDP they received) as soon as they have it.
 */
public final class NsSipp {

    /** A SIPp that has been started; everything it writes is in {@link #work()}. */
    public static final class Running {
        private final Process process;
        private final Path work;
        private final String label;

        private Running(Process process, Path work, String label) {
            this.process = process;
            this.work = work;
            this.label = label;
        }

        public Path work() {
            return work;
        }

        /**
         * The "address port" of the media the other side offered, once this SIPp has received its SDP;
         * fails if SIPp ends or the limit passes first.
         */
        public MediaAddress awaitPeerMedia(Duration limit) {
            Path file = work.resolve("peer-media.txt");
            long deadline = System.nanoTime() + limit.toNanos();
            try {
                while (true) {
                    if (Files.exists(file)) {
                        String[] parts = Files.readString(file).strip().split("\\s+");
                        if (parts.length == 2) {
                            return new MediaAddress(parts[0], Integer.parseInt(parts[1]));
                        }
                    }
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        String why = process.isAlive() ? "not within " + limit : "sipp ended first";
                        throw new AssertionError(label + ": no SDP received (" + why + ")\n" + collect(false).describe());
                    }
                    Thread.sleep(20);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Waits for SIPp to end (killing it past the limit) and returns what it did. */
        public Sipp.Result await(Duration limit) {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                    throw new AssertionError(label + ": sipp did not finish within " + limit + "\n" + collect(false).describe());
                }
                return collect(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public void kill() {
            process.destroyForcibly();
        }

        private Sipp.Result collect(boolean ended) {
            try {
                StringBuilder messages = new StringBuilder();
                try (var files = Files.list(work)) {
                    for (Path p : files.filter(f -> f.getFileName().toString().endsWith("_messages.log")).toList()) {
                        messages.append(Files.readString(p));
                    }
                }
                return new Sipp.Result(ended ? process.exitValue() : -1, read(work.resolve("out.log")),
                        read(work.resolve("errors.log")), messages.toString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String read(Path file) throws IOException {
            return Files.exists(file) ? Files.readString(file) : "";
        }
    }

    /** Where a side's media goes, as an SDP said it. */
    public record MediaAddress(String address, int port) {
        @Override
        public String toString() {
            return address + ":" + port;
        }
    }

    private final String resource;
    private final String target;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> placeholders = new LinkedHashMap<>();
    private String namespace;
    private String localIp;
    private int localPort = 5060;
    private int sippMediaPort = 16000;
    private boolean withoutRport;

    private NsSipp(String resource, String target) {
        this.resource = resource;
        this.target = target;
    }

    /** {@code resource} is a class-path path such as {@code /nat/call-uac-media.xml} or {@code /sipp/register.xml}. */
    public static NsSipp scenario(String resource, String target) {
        return new NsSipp(resource, target);
    }

    public NsSipp in(String namespace, String localIp) {
        this.namespace = namespace;
        this.localIp = localIp;
        return this;
    }

    public NsSipp localPort(int port) {
        this.localPort = port;
        return this;
    }

    /** The port SIPp itself opens for media (-mp); keep it away from the port the probe binds. */
    public NsSipp sippMediaPort(int port) {
        this.sippMediaPort = port;
        return this;
    }

    /**
     * Sends every request as many deployed phones do: the {@code ;rport} parameter taken out of
     * each Via the scenario writes, so the phone does not ask for RFC 3581 symmetric responses.
     */
    public NsSipp withoutRport() {
        this.withoutRport = true;
        return this;
    }

    /**
     * Whether SIPp's trace holds requests the phone at {@code address} sent and whether their Via
     * asked for rport: "none" (it sent no request), "rport" or "no rport". Only the phone's own Via
     * counts: the proxy's requests carry the proxy's Via with a bare rport, and its answers the
     * phone's Via with {@code rport=<port>}.
     */
    public static String viaOf(Sipp.Result result, String address) {
        List<String> own = Pattern.compile("(?m)^Via: SIP/2\\.0/\\w+ " + Pattern.quote(address) + ":\\d+;[^\\r\\n]*$")
                .matcher(result.messages()).results().map(MatchResult::group).toList();
        if (own.isEmpty()) {
            return "none";
        }
        return own.stream().anyMatch(via -> via.matches(".*;rport(?![=\\w]).*")) ? "rport" : "no rport";
    }

    public NsSipp service(String user) {
        return arg("-s", user);
    }

    public NsSipp credentials(String user, String password) {
        return arg("-au", user).arg("-ap", password);
    }

    public NsSipp key(String name, Object value) {
        return arg("-key", name, String.valueOf(value));
    }

    /** Replaces {@code @NAME@} in the scenario file (for values SIPp keywords cannot reach, e.g. pauses). */
    public NsSipp fill(String name, Object value) {
        placeholders.put(name, String.valueOf(value));
        return this;
    }

    public NsSipp arg(String... values) {
        args.addAll(List.of(values));
        return this;
    }

    public Sipp.Result run(Duration limit) {
        return start().await(limit);
    }

    public Running start() {
        if (namespace == null) {
            throw new IllegalStateException("NsSipp runs in a namespace: call in(namespace, localIp)");
        }
        try {
            Path work = Scratch.directory("nat-sipp");
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            String text;
            try (var in = NsSipp.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("no scenario " + resource);
                }
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            for (var p : placeholders.entrySet()) {
                text = text.replace("@" + p.getKey() + "@", p.getValue());
            }
            if (withoutRport) {
                String stripped = text.replaceAll("(?m)^(\\s*Via: [^\\n]*?);rport\\b", "$1");
                if (stripped.equals(text)) {
                    throw new IllegalArgumentException(resource + " has no Via with rport to take out");
                }
                text = stripped;
            }
            if (text.matches("(?s).*@[A-Z_]+@.*")) {
                throw new IllegalArgumentException(resource + " has unfilled placeholders");
            }
            Path scenarioFile = work.resolve(name);
            Files.writeString(scenarioFile, text, java.nio.charset.StandardCharsets.ISO_8859_1);
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                    "sipp", target, "-sf", scenarioFile.toString(),
                    "-i", localIp, "-p", String.valueOf(localPort), "-mp", String.valueOf(sippMediaPort),
                    "-m", "1", "-timeout", "40s", "-timeout_error", "-nostdin", "-trace_err", "-trace_msg",
                    "-error_file", work.resolve("errors.log").toString()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("out.log").toFile()).start();
            process.getOutputStream().close();
            return new Running(process, work, namespace + " " + name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run sipp (is the sip-tester package installed?)", e);
        }
    }
}
