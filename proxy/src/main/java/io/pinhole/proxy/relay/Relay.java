package io.pinhole.proxy.relay;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One relay of the pool: its ng client, how many of our calls it carries, and whether it
 * answered its last command or ping.
 *
 * @param id the {@code relays} row id, or null for the configured default relay
 */
public final class Relay {

    private final Long id;
    private final String name;
    private final NgClient client;
    private final int weight;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger consecutiveTimeouts = new AtomicInteger();
    private volatile boolean up = true;
    // Our relay's delete answers with the final counts; rtpengine 10.5's answers only "ok". Until a
    // delete reply shows them, the counts are read by a query first, so no CDR goes without them.
    private volatile boolean deleteReportsCounts;

    Relay(Long id, String name, NgClient client, int weight) {
        this.id = id;
        this.name = name;
        this.client = client;
        this.weight = weight;
    }

    public Long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public NgClient client() {
        return client;
    }

    public boolean up() {
        return up;
    }

    void markUp(boolean value) {
        up = value;
    }

    /** @return how many commands in a row have now gone unanswered */
    int timedOut() {
        return consecutiveTimeouts.incrementAndGet();
    }

    void answered() {
        consecutiveTimeouts.set(0);
    }

    /** Whether a delete alone gives the CDR its packet counts (learned from the replies). */
    public boolean deleteReportsCounts() {
        return deleteReportsCounts;
    }

    public void deleteReportedCounts() {
        deleteReportsCounts = true;
    }

    int active() {
        return active.get();
    }

    int weight() {
        return weight;
    }

    void acquired() {
        active.incrementAndGet();
    }

    void released() {
        active.decrementAndGet();
    }

    /** Calls per unit of weight: the pool picks the lowest. */
    double load() {
        return (double) active.get() / weight;
    }
}
