package io.pinhole.proxy.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real SIPp (Debian package sip-tester) with a scenario from the test resources.
 * Every run is bounded: one call unless told otherwise, and a hard timeout.
 */
public final class Sipp {

    /** What SIPp did: its exit code (0 = every call passed) and what it wrote. */
    public record Result(int exitCode, String output, String errors) {
        public boolean passed() {
            return exitCode == 0;
        }

        public String describe() {
            return "sipp exit " + exitCode + "\n--- errors ---\n" + errors + "\n--- output ---\n"
                    + (output.length() > 4000 ? output.substring(output.length() - 4000) : output);
        }
    }

    private final List<String> args = new ArrayList<>();
    private final String scenario;
    private final String target;

    private Sipp(String scenario, String target) {
        this.scenario = scenario;
        this.target = target;
    }

    public static Sipp scenario(String name, String target) {
        return new Sipp(name, target);
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

    public Sipp transport(String mode) {
        return arg("-t", mode);
    }

    public Sipp arg(String... values) {
        args.addAll(List.of(values));
        return this;
    }

    public Result run() {
        try {
            Path work = Files.createTempDirectory("sipp");
            Path scenarioFile = work.resolve(scenario);
            try (var in = Sipp.class.getResourceAsStream("/sipp/" + scenario)) {
                if (in == null) {
                    throw new IllegalArgumentException("no scenario /sipp/" + scenario);
                }
                Files.copy(in, scenarioFile);
            }
            List<String> command = new ArrayList<>(List.of("sipp", target, "-sf", scenarioFile.toString(),
                    "-i", "127.0.0.1", "-p", String.valueOf(FreePorts.udpAndTcp()), "-m", "1",
                    "-timeout", "30s", "-timeout_error", "-nostdin", "-trace_err", "-error_file",
                    work.resolve("errors.log").toString()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("out.log").toFile()).start();
            if (!process.waitFor(45, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("sipp did not finish in 45 s");
            }
            String errors = Files.exists(work.resolve("errors.log")) ? Files.readString(work.resolve("errors.log")) : "";
            return new Result(process.exitValue(), Files.readString(work.resolve("out.log")), errors);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run sipp (is the sip-tester package installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
