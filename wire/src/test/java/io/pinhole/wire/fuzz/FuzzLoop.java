package io.pinhole.wire.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Runs a parser on its seeds and then on mutations of them ({@link Mutator}) for a bounded time
 * and number of inputs, and fails at the first input that breaks the parser's contract: an
 * exception other than the ones it declares, an input that takes longer than its time budget
 * (a hang or a super-linear loop), or more memory allocated for one input than its budget (a
 * length field trusted before the bytes are there). The failure names the input (escaped) and
 * the seed of the run; the input is also written to {@code target/fuzz-failures/} for replay.
 *
 * <p>Defaults suit CI (a few seconds per target); {@code -Dfuzz.seconds=600} and
 * {@code -Dfuzz.seed=N} run longer or elsewhere locally.
 */
public final class FuzzLoop {

    /** The parser under test, on one input. */
    @FunctionalInterface
    public interface Target {
        void accept(byte[] input) throws Exception;
    }

    private final String name;
    private final List<byte[]> seeds;
    private final boolean text;
    private final Set<Class<? extends Throwable>> declared;
    private Duration budget = Duration.ofSeconds(Long.getLong("fuzz.seconds", 4));
    private long maxInputs = Long.getLong("fuzz.iterations", 2_000_000);
    private long minInputs;
    private Duration perInput = Duration.ofMillis(500);
    private long maxAllocatedPerInput = 64L << 20;
    private long seed = Long.getLong("fuzz.seed", 4475);

    private volatile byte[] current;
    private volatile long currentStartedNanos;
    private volatile long currentIndex;
    private volatile Failure failure;
    private volatile boolean finished;

    private record Failure(byte[] input, String what, Throwable cause) {
    }

    private FuzzLoop(String name, List<byte[]> seeds, boolean text, Set<Class<? extends Throwable>> declared) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seeds for " + name);
        }
        this.name = name;
        this.seeds = List.copyOf(seeds);
        this.text = text;
        this.declared = declared;
    }

    /** @param declared the exceptions the parser may throw on bad input (and their subclasses) */
    @SafeVarargs
    public static FuzzLoop of(String name, List<byte[]> seeds, boolean text, Class<? extends Throwable>... declared) {
        return new FuzzLoop(name, seeds, text, Set.of(declared));
    }

    /** CI's bound on the whole run, unless {@code fuzz.seconds} says otherwise. */
    public FuzzLoop seconds(double seconds) {
        if (System.getProperty("fuzz.seconds") == null) {
            budget = Duration.ofMillis((long) (seconds * 1000));
        }
        return this;
    }

    /**
     * Runs at least this many inputs even when the time budget is spent first: on a loaded machine
     * (CI shares two cores with the other tests' processes) the budget alone would cover less
     * ground than the test means to, and a floor checked afterwards would fail on the machine's
     * speed, not on the parser. The per-input hang limit still applies to every input.
     */
    public FuzzLoop atLeast(long inputs) {
        minInputs = inputs;
        return this;
    }

    public FuzzLoop perInput(Duration limit) {
        perInput = limit;
        return this;
    }

    public FuzzLoop maxAllocatedPerInput(long bytes) {
        maxAllocatedPerInput = bytes;
        return this;
    }

    /** Runs the loop; throws an {@link AssertionError} describing the first contract violation. */
    public long run(Target target) throws InterruptedException {
        Thread worker = new Thread(() -> loop(target), "fuzz-" + name);
        worker.setDaemon(true); // a hung parser must not keep the test JVM alive
        long deadline = System.nanoTime() + budget.toNanos();
        worker.start();
        while (!finished) {
            worker.join(20);
            long started = currentStartedNanos;
            if (!finished && current != null && started != 0 && System.nanoTime() - started > perInput.toNanos() * 4) {
                // the worker cannot report it itself; it stays behind as a daemon thread
                failure = new Failure(current, "still running after " + perInput.multipliedBy(4).toMillis()
                        + " ms (hang)", stackOf(worker));
                break;
            }
            if (System.nanoTime() > deadline + perInput.toNanos() * 8 && currentIndex >= minInputs) {
                break; // the worker checks the deadline between inputs; this is only a safety net
            }
        }
        Failure f = failure;
        if (f != null) {
            throw new AssertionError(describe(f), f.cause());
        }
        // one line per run, in the test's output file: how much ground a CI run covered
        System.out.printf("fuzz %s: %d inputs (seed %d) in %d ms, no contract violation%n", name, currentIndex + 1,
                seed, (System.nanoTime() - deadline + budget.toNanos()) / 1_000_000);
        return currentIndex;
    }

    private void loop(Target target) {
        Random random = new Random(seed);
        Mutator mutator = new Mutator(random, text);
        long deadline = System.nanoTime() + budget.toNanos();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try {
            for (long i = 0; i < maxInputs && failure == null; i++) {
                if (i >= seeds.size() && i > minInputs && System.nanoTime() > deadline) {
                    break;
                }
                byte[] input = i < seeds.size() ? seeds.get((int) i) : mutator.mutate(seeds);
                currentIndex = i;
                current = input;
                long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                long started = System.nanoTime();
                currentStartedNanos = started;
                try {
                    target.accept(input.clone());
                } catch (Throwable t) {
                    if (!isDeclared(t)) {
                        failure = new Failure(input, "threw " + t, t);
                        return;
                    }
                }
                long took = System.nanoTime() - started;
                long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
                if (took > perInput.toNanos() && slowAgain(target, input)) {
                    failure = new Failure(input, "took " + took / 1_000_000 + " ms (budget " + perInput.toMillis() + " ms)",
                            null);
                } else if (allocated > maxAllocatedPerInput) {
                    failure = new Failure(input, "allocated " + allocated + " bytes for a " + input.length
                            + "-byte input (budget " + maxAllocatedPerInput + ")", null);
                }
            }
        } finally {
            currentStartedNanos = 0;
            finished = true;
        }
    }

    /** A slow input is timed once more: a pause of the shared machine is not a finding. */
    private boolean slowAgain(Target target, byte[] input) {
        long started = System.nanoTime();
        currentStartedNanos = started;
        try {
            target.accept(input.clone());
        } catch (Throwable ignored) {
            // judged on the first run
        }
        return System.nanoTime() - started > perInput.toNanos();
    }

    private boolean isDeclared(Throwable t) {
        if (t instanceof Error) {
            return false; // OutOfMemoryError, StackOverflowError: never a parse result
        }
        for (Class<? extends Throwable> c : declared) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private String describe(Failure f) {
        Path saved = save(f.input());
        return name + ": input #" + currentIndex + " (run seed " + seed + ") " + f.what() + "\ninput ("
                + f.input().length + " bytes, saved to " + saved + "): " + escape(f.input(), 1500);
    }

    private Path save(byte[] input) {
        try {
            Path dir = Path.of("target", "fuzz-failures");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + "-" + seed + ".bin");
            Files.write(file, input);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Throwable stackOf(Thread worker) {
        Throwable where = new Throwable("stack of the hung parser");
        where.setStackTrace(worker.getStackTrace());
        return where;
    }

    /** Printable ASCII as is, CR and LF as \r \n, everything else as \xNN; at most {@code max} bytes. */
    public static String escape(byte[] input, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(input.length, max); i++) {
            int b = input[i] & 0xff;
            if (b == '\r') {
                out.append("\\r");
            } else if (b == '\n') {
                out.append("\\n");
            } else if (b >= 0x20 && b < 0x7f && b != '\\') {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        return input.length > max ? out + "... (" + (input.length - max) + " more)" : out.toString();
    }

    /** Every regular file of a directory, as seeds. */
    public static List<byte[]> filesIn(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
