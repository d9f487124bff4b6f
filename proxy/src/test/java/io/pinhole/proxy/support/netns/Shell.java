package io.pinhole.proxy.support.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short system commands (ip, iptables, sysctl) with a bound on each, and says what failed. */
public final class Shell {

    private Shell() {
    }

    record Outcome(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs the command; throws with its output when it fails. */
    static String run(String... command) {
        Outcome outcome = attempt(command);
        if (!outcome.ok()) {
            throw new IllegalStateException("`" + String.join(" ", command) + "` failed (exit " + outcome.exitCode()
                    + "): " + outcome.output().strip());
        }
        return outcome.output();
    }

    /** Runs the command inside a namespace ({@code ip netns exec}). */
    static String runIn(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /** Whether {@code tool} is missing from the PATH. */
    public static boolean missing(String tool) {
        return !attempt("sh", "-c", "command -v " + tool).ok();
    }

    /** Runs the command and reports how it ended, whatever that was (for clean-up). */
    static Outcome attempt(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Outcome(-1, "timed out after 20 s");
            }
            return new Outcome(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Outcome(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, "interrupted");
        }
    }
}
