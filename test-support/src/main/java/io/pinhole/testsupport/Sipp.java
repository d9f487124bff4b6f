package io.pinhole.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real SIPp (Debian package sip-tester) with a scenario from the test resources or
 * written by the test. Every run is bounded: one call unless told otherwise, and a hard timeout.
 */
public final class Sipp {

    /** What SIPp did: its exit code (0 = every call passed), what it wrote, and the messages it traced. */
    public record Result(int exitCode, String output, String errors, String messages) {
        public boolean passed() {
            return exitCode == 0;
        }

        public String describe() {
            return "sipp exit " + exitCode + "\n--- errors ---\n" + errors + "\n--- output ---\n"
                    + (output.length() > 3000 ? output.substring(output.length() - 3000) : output)
                    + "\n--- messages ---\n" + (messages.length() > 6000 ? messages.substring(messages.length() - 6000) : messages);
        }
    }

    /** A SIPp started in the background (a UAS waiting for its call). */
    public static final class Running {
        private final Process process;
        private final Path work;

        private Running(Process process, Path work) {
            this.process = process;
            this.work = work;
        }

        /** SIPp's working directory: the scenario, its logs and what its {@code exec} actions wrote. */
        public Path work() {
            return work;
        }

        public Result await() {
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("sipp did not finish in 60 s: " + read(work.resolve("out.log")));
                }
                String messages = "";
                try (var files = Files.list(work)) {
                    for (Path p : files.filter(f -> f.getFileName().toString().endsWith("_messages.log")).toList()) {
                        messages += read(p);
                    }
                }
                return new Result(process.exitValue(), read(work.resolve("out.log")), read(work.resolve("errors.log")), messages);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public void kill() {
            process.destroyForcibly();
        }

        /** Lenient UTF-8: a malformed byte (a test that sends garbage) reads as U+FFFD, it does not throw. */
        private static String read(Path file) throws IOException {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        }
    }

    private final List<String> args = new ArrayList<>();
    private final String scenario;
    private final String scenarioXml;
    private final String target;
    private int localPort = -1;
    private String localIp = "127.0.0.1";
    private String namespace;
    private final java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();

    private Sipp(String scenario, String scenarioXml, String target) {
        this.scenario = scenario;
        this.scenarioXml = scenarioXml;
        this.target = target;
    }

    /** The scenario {@code /sipp/<name>} of the test resources. */
    public static Sipp scenario(String name, String target) {
        return new Sipp(name, null, target);
    }

    /** A scenario the test wrote (ISO-8859-1, as SIPp reads it). */
    public static Sipp scenarioXml(String xml, String target) {
        return new Sipp("scenario.xml", xml, target);
    }

    public Sipp service(String user) {
        return arg("-s", user);
    }

    public Sipp credentials(String user, String password) {
        return arg("-au", user).arg("-ap", password);
    }

    public Sipp key(String name, Object value) {
        return arg("-key", name, String.valueOf(value));
    }

    public Sipp localPort(int port) {
        this.localPort = port;
        return this;
    }

    /** The address SIPp binds and writes into its messages (default 127.0.0.1). */
    public Sipp localIp(String ip) {
        this.localIp = ip;
        return this;
    }

    /** Runs SIPp inside a network namespace ({@code ip netns exec}); the test must have created it. */
    public Sipp inNamespace(String name) {
        this.namespace = name;
        return this;
    }

    /** A file written beside the scenario before SIPp starts (a pcap for {@code play_pcap_audio}, say). */
    public Sipp file(String name, byte[] content) {
        files.put(name, content);
        return this;
    }

    public Sipp arg(String... values) {
        args.addAll(List.of(values));
        return this;
    }

    public Result run() {
        return start().await();
    }

    public Running start() {
        try {
            Path work = Scratch.directory("sipp");
            Path scenarioFile = work.resolve(scenario);
            if (scenarioXml != null) {
                Files.writeString(scenarioFile, scenarioXml, StandardCharsets.ISO_8859_1);
            } else {
                try (var in = Sipp.class.getResourceAsStream("/sipp/" + scenario)) {
                    if (in == null) {
                        throw new IllegalArgumentException("no scenario /sipp/" + scenario);
                    }
                    Files.copy(in, scenarioFile);
                }
            }
            for (var file : files.entrySet()) {
                Files.write(work.resolve(file.getKey()), file.getValue());
            }
            int port = localPort > 0 ? localPort : FreePorts.udpAndTcp();
            List<String> command = new ArrayList<>();
            if (namespace != null) {
                command.addAll(List.of("ip", "netns", "exec", namespace));
            }
            command.addAll(List.of("sipp", target, "-sf", scenarioFile.toString(),
                    "-i", localIp, "-p", String.valueOf(port), "-mp", String.valueOf(FreePorts.udpAndTcp()),
                    "-m", "1", "-timeout", "40s", "-timeout_error", "-nostdin", "-trace_err", "-trace_msg",
                    "-error_file", work.resolve("errors.log").toString()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("out.log").toFile()).start();
            return new Running(process, work);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run sipp (is the sip-tester package installed?)", e);
        }
    }
}
