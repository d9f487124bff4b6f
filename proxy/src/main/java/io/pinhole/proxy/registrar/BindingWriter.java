package io.pinhole.proxy.registrar;

import io.pinhole.proxy.database.DatabaseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes binding changes to PostgreSQL behind the SIP path: the registrar answers from memory
 * and hands changes here. One thread applies them in batches, the last change per binding
 * winning, and retries while the database is away, however long; on shutdown it drains what is
 * queued, and with the database still away after the shutdown budget it says how many changes
 * are lost.
 *
 * <p>A batch gathers the changes of up to {@code gather} after its first one (unless a full
 * batch is already waiting): written as they came, a steady 2,000 REGISTERs/s went out as 50 to
 * 290 transactions a second of a few rows each, every one with its WAL flush (bench/register);
 * gathered, about ten. The changes wait in memory no longer than that, and a shutdown still
 * writes them.
 */
public final class BindingWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BindingWriter.class);
    private static final int BATCH = 500;

    private record Change(Binding binding, boolean delete) {
    }

    private final BindingRepository repository;
    private final DatabaseStatus database;
    private final Duration shutdownBudget;
    private final long gatherMillis;
    private final BlockingQueue<Change> queue;
    private final Thread worker;
    private final LongAdder lost = new LongAdder();
    /** Changes taken from the queue and not yet written: part of {@link #pending()}. */
    private volatile int inHand;
    private volatile boolean running = true;
    private volatile long giveUpAtNanos = Long.MAX_VALUE;

    /** @param gather how long a batch waits for more changes after its first one */
    public BindingWriter(BindingRepository repository, int capacity, DatabaseStatus database, Duration shutdownBudget,
                         Duration gather) {
        this.repository = repository;
        this.database = database;
        this.shutdownBudget = shutdownBudget;
        this.gatherMillis = gather.toMillis();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::run, "binding-writer");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Room for this many more changes: checked before a REGISTER is accepted. */
    public boolean hasRoomFor(int changes) {
        return queue.remainingCapacity() >= changes;
    }

    /** Queues the result of an accepted REGISTER; false only when the queue is full. */
    public boolean submit(RegistrationResult.Accepted accepted) {
        boolean all = true;
        for (Binding removed : accepted.removals()) {
            all &= queue.offer(new Change(removed, true));
        }
        for (Binding upserted : accepted.upserts()) {
            all &= queue.offer(new Change(upserted, false));
        }
        if (!all) {
            lost.increment();
            LOG.error("binding write queue full: a change for {} was not persisted", accepted.bindings().isEmpty()
                    ? "an AOR" : accepted.bindings().get(0).aor());
        }
        return all;
    }

    /** Changes queued or in hand, not yet in the {@code registrations} table. */
    public int pending() {
        return queue.size() + inHand;
    }

    /** Changes never written: the queue was full, or shutdown came with the database away. */
    public long lost() {
        return lost.sum();
    }

    private void run() {
        List<Change> drained = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Change first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                drained.add(first);
                queue.drainTo(drained, BATCH - 1);
                inHand = drained.size();
                if (drained.size() < BATCH && running && gatherMillis > 0) {
                    // one sleep, not a poll per change: the SIP threads' offers then wake nobody
                    Thread.sleep(gatherMillis);
                    queue.drainTo(drained, BATCH - drained.size());
                    inHand = drained.size();
                }
                if (!writeUntilDone(drained)) {
                    giveUp(drained.size());
                    return;
                }
                drained.clear();
                inHand = 0;
            } catch (InterruptedException e) {
                giveUp(drained.size());
                return;
            }
        }
    }

    private void giveUp(int inHandNow) {
        int count = inHandNow + queue.drainTo(new ArrayList<>());
        inHand = 0;
        if (count > 0) {
            lost.add(count);
            LOG.error("shutting down with the database unavailable: {} binding changes could not be written and are "
                    + "lost (those phones' bindings are gone after a restart until they register again)", count);
        }
    }

    /** False only when shutdown's budget ran out with the database away. */
    private boolean writeUntilDone(List<Change> changes) throws InterruptedException {
        Map<String, Change> last = new LinkedHashMap<>();
        for (Change change : changes) {
            last.put(change.binding().userId() + "\u0000" + change.binding().key(), change);
        }
        List<Binding> upserts = new ArrayList<>();
        List<Binding> deletes = new ArrayList<>();
        last.values().forEach(c -> (c.delete() ? deletes : upserts).add(c.binding()));
        long backoff = 100;
        while (true) {
            try {
                write(upserts, deletes);
                database.reachable();
                return true;
            } catch (RuntimeException e) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("shutdown budget spent");
                }
                if (!database.unreachable("writing " + last.size() + " binding changes", e)) {
                    LOG.warn("persisting {} binding changes failed, retrying in {} ms: {}", last.size(), backoff,
                            e.toString());
                }
                if (!running && System.nanoTime() - giveUpAtNanos > 0) {
                    return false;
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    private void write(List<Binding> upserts, List<Binding> deletes) {
        if (!deletes.isEmpty()) {
            repository.deleteAll(deletes);
        }
        if (upserts.isEmpty()) {
            return;
        }
        try {
            repository.upsertAll(upserts);
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            // One binding whose user was deleted meanwhile must not hold back the others.
            for (Binding binding : upserts) {
                try {
                    repository.upsert(binding);
                } catch (org.springframework.dao.DataIntegrityViolationException single) {
                    LOG.info("binding for {} not persisted, its user no longer exists", binding.aor());
                }
            }
        }
    }

    /** Stops after writing what is queued; with the database away, after the shutdown budget. */
    @Override
    public void close() throws InterruptedException {
        giveUpAtNanos = System.nanoTime() + shutdownBudget.toNanos();
        running = false;
        worker.join(shutdownBudget.toMillis() + 1000);
        if (worker.isAlive()) {
            worker.interrupt(); // a statement waiting for a connection past the budget
            worker.join(5000);
        }
    }
}
