package io.pinhole.proxy.relay;

import io.pinhole.proxy.media.MediaTransport;
import io.pinhole.wire.ng.NgClient;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One relay of the pool: its ng client, how many of our calls it carries, whether it
 * answered its last command or ping, and why it was last taken out. Weight and draining follow
 * the {@code relays} row (the pool re-reads it); a draining relay keeps its calls but gets no new one.
 *
 * @param id the {@code relays} row id, or null for the configured default relay
 */
public final class Relay {

    private final Long id;
    private final String name;
    private final NgClient client;
    private volatile int weight;
    private volatile boolean draining;
    private volatile Problem lastProblem;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger consecutiveTimeouts = new AtomicInteger();
    private volatile boolean up = true;
    // Commands waited on with untilDown: each one failed at once when the relay is marked down.
    private final Set<CompletableFuture<?>> cutShort = ConcurrentHashMap.newKeySet();
    // Our relay's delete answers with the final counts; rtpengine 10.5's answers only "ok". Until a
    // delete reply shows them, the counts are read by a query first, so no CDR goes without them.
    private volatile boolean deleteReportsCounts;
    // What it serves, as its last pong said (RelayTransports); UDP only until one did.
    private volatile Set<MediaTransport> transports = Set.of(MediaTransport.UDP);

    /** Why a relay was last marked down, and when. */
    public record Problem(String reason, Instant at) {
    }

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
        if (!value) {
            for (CompletableFuture<?> waiting : cutShort) {
                waiting.completeExceptionally(new RelayDownException(this));
            }
        }
    }

    /**
     * {@code pending} (a command sent to this relay), cut short with a {@link RelayDownException}
     * when the relay is, or is then, marked down before it completes: a caller need not wait out the
     * ng timeout (retransmitting into a dead relay) once the watch has given its verdict.
     */
    public <T> CompletableFuture<T> untilDown(CompletableFuture<T> pending) {
        CompletableFuture<T> watched = pending.copy();
        cutShort.add(watched);
        watched.whenComplete((reply, error) -> cutShort.remove(watched));
        if (!up) {
            watched.completeExceptionally(new RelayDownException(this));
        }
        return watched;
    }

    /** A command cut short because its relay was marked down. */
    public static final class RelayDownException extends RuntimeException {
        RelayDownException(Relay relay) {
            super("relay " + relay.name() + " is down" + (relay.lastProblem == null ? "" : " (" + relay.lastProblem.reason() + ")"),
                    null, false, false);
        }
    }

    void problem(String reason, Instant at) {
        lastProblem = new Problem(reason, at);
    }

    /** The last reason this relay was marked down (kept after it came back), or null. */
    public Problem lastProblem() {
        return lastProblem;
    }

    public boolean draining() {
        return draining;
    }

    void follow(int weight, boolean draining) {
        this.weight = weight;
        this.draining = draining;
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

    /** The media transports it serves, as its last pong listed them (UDP only before any pong, or rtpengine). */
    public Set<MediaTransport> transports() {
        return transports;
    }

    /** Whether it serves every one of {@code needed}. */
    public boolean serves(Set<MediaTransport> needed) {
        return transports.containsAll(needed);
    }

    /** @return whether this changed what it serves */
    boolean learned(Set<MediaTransport> served) {
        if (served.equals(transports)) {
            return false;
        }
        transports = Set.copyOf(served);
        return true;
    }

    /** How many of this proxy's calls it carries now. */
    public int active() {
        return active.get();
    }

    public int weight() {
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
