package io.pinhole.proxy.support.netns;

import io.pinhole.testsupport.Scratch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RTP probe ({@code /nat/rtp_probe.py}, python3 stdlib) run inside a namespace: binds a
 * phone's SDP address and port, sends G.711-sized RTP at 50 packets/s to where the other side's
 * SDP said, and counts what arrives.
 */
public final class RtpProbe {

    /** What one probe did. {@code sources} are the addresses its packets came from. */
    public record Result(int sent, int received, int sendErrors, List<String> sources, String raw) {
    }

    private static volatile Path script;

    private final Process process;
    private final Path log;
    private final String label;

    private RtpProbe(Process process, Path log, String label) {
        this.process = process;
        this.log = log;
        this.label = label;
    }

    /**
     * Starts a probe in {@code namespace} bound to {@code bind} ("address:port"). With a {@code peer}
     * it sends for {@code seconds} from {@code startAtEpochMillis}; without one it only listens.
     * {@code countOwn} also counts its own packets coming back (for an echo check).
     */
    public static RtpProbe start(String namespace, String bind, String peer, double seconds, long startAtEpochMillis,
                                 boolean countOwn) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, python(), script().toString(),
                "--bind", bind, "--duration", String.valueOf(seconds),
                "--start-at", String.valueOf(startAtEpochMillis / 1000.0)));
        if (peer != null) {
            command.addAll(List.of("--peer", peer));
        }
        if (countOwn) {
            command.add("--count-own");
        }
        try {
            Path log = Scratch.file("rtp-probe", ".log");
            log.toFile().deleteOnExit();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            return new RtpProbe(process, log, namespace + " " + bind + " -> " + peer);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the RTP probe (python3)", e);
        }
    }

    /** Waits for the probe's report (bounded). */
    public Result await(long limitMillis) {
        try {
            if (!process.waitFor(limitMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("RTP probe " + label + " did not finish in " + limitMillis + " ms: "
                        + Files.readString(log));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\\{\"sent\": (\\d+), \"received\": (\\d+), \"sources\": \\[([^]]*)], "
                    + "\"send_errors\": (\\d+)}").matcher(out);
            if (process.exitValue() != 0 || !m.find()) {
                throw new AssertionError("RTP probe " + label + " failed (exit " + process.exitValue() + "): " + out);
            }
            List<String> sources = new ArrayList<>();
            for (String s : m.group(3).split(",")) {
                if (!s.isBlank()) {
                    sources.add(s.strip().replace("\"", ""));
                }
            }
            return new Result(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(4)),
                    sources, out.strip());
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

    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static synchronized Path script() {
        if (script == null) {
            try (InputStream in = RtpProbe.class.getResourceAsStream("/nat/rtp_probe.py")) {
                if (in == null) {
                    throw new IllegalStateException("no /nat/rtp_probe.py on the test class path");
                }
                Path file = Scratch.file("rtp_probe", ".py");
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                file.toFile().deleteOnExit();
                script = file;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return script;
    }
}
