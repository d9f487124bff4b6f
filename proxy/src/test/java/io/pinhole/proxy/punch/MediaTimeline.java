package io.pinhole.proxy.punch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counters read every {@link #PERIOD_MS} ms while a call runs (the relay's packets, the packets
 * between the two NATs, what each phone received), so a test can tell when media left the relay,
 * how much the relay carried before and after, and the longest time a phone heard nothing. A
 * counter that cannot be read in a round keeps its last value.
 */
final class MediaTimeline {

    static final long PERIOD_MS = 250;

    /** One round: milliseconds since the start and each counter's value, in the order given. */
    record Sample(long millis, long[] values) {
    }

    private final Map<String, LongSupplier> counters;
    private final List<String> names;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private final long startNanos = System.nanoTime();
    private volatile boolean stopped;

    private MediaTimeline(Map<String, LongSupplier> counters) {
        this.counters = counters;
        this.names = List.copyOf(counters.keySet());
        this.sampler = new Thread(this::run, "media-timeline");
        sampler.setDaemon(true);
    }

    /** Starts sampling {@code counters} (name → reader) at once. */
    static MediaTimeline start(Map<String, LongSupplier> counters) {
        MediaTimeline timeline = new MediaTimeline(new LinkedHashMap<>(counters));
        timeline.sample();
        timeline.sampler.start();
        return timeline;
    }

    private void run() {
        while (!stopped) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    private void sample() {
        long[] values = new long[names.size()];
        Sample last;
        synchronized (samples) {
            last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        }
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = counters.get(names.get(i)).getAsLong();
            } catch (RuntimeException unreadable) {
                values[i] = last == null ? 0 : last.values()[i];
            }
        }
        Sample sample = new Sample(now(), values);
        synchronized (samples) {
            samples.add(sample);
        }
    }

    /** Stops sampling (after one last round) and returns the rounds. */
    List<Sample> stop() {
        stopped = true;
        sampler.interrupt();
        try {
            sampler.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Milliseconds since the start, on the rounds' clock. */
    long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A counter's value in a round. */
    long value(Sample sample, String counter) {
        return sample.values()[index(counter)];
    }

    /** How much a counter grew from the first round to {@code sample}. */
    long since(List<Sample> rounds, Sample sample, String counter) {
        return value(sample, counter) - value(rounds.get(0), counter);
    }

    /** The first round at which {@code counter} had grown by at least {@code by} since the start, or null. */
    Sample firstGrowth(List<Sample> rounds, String counter, long by) {
        for (Sample s : rounds) {
            if (since(rounds, s, counter) >= by) {
                return s;
            }
        }
        return null;
    }

    /**
     * The longest time in ms {@code counter} did not grow between its first and its last growth
     * (a phone's received packets: the longest gap in what it heard, to within a round or two).
     */
    long longestStall(List<Sample> rounds, String counter) {
        int i = index(counter);
        long longest = 0;
        Long grewAt = null;
        for (int n = 1; n < rounds.size(); n++) {
            if (rounds.get(n).values()[i] > rounds.get(n - 1).values()[i]) {
                long at = rounds.get(n).millis();
                if (grewAt != null) {
                    longest = Math.max(longest, at - grewAt);
                }
                grewAt = at;
            }
        }
        return longest;
    }

    /** One line per round, for failure messages and the test's report. */
    String describe(List<Sample> rounds) {
        StringBuilder out = new StringBuilder("ms " + String.join(" ", names));
        for (Sample s : rounds) {
            out.append('\n').append(s.millis());
            for (long v : s.values()) {
                out.append(' ').append(v);
            }
        }
        return out.toString();
    }

    private int index(String counter) {
        int i = names.indexOf(counter);
        if (i < 0) {
            throw new IllegalArgumentException("no counter " + counter + " in " + names);
        }
        return i;
    }
}
