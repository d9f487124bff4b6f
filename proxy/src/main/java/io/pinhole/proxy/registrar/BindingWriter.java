package io.pinhole.proxy.registrar;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes binding changes to PostgreSQL behind the SIP path: the registrar answers from memory
 * and hands changes here. One thread applies them in batches, the last change per binding
 * winning, and retries while the database is away; on shutdown it drains what is queued.
 */
public final class BindingWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BindingWriter.class);
    private static final int BATCH = 500;

    private record Change(Binding binding, boolean delete) {
    }

    private final BindingRepository repository;
    private final BlockingQueue<Change> queue;
    private final Thread worker;
    private volatile boolean running = true;

    public BindingWriter(BindingRepository repository, int capacity) {
        this.repository = repository;
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
            LOG.error("binding write queue full: a change for {} was not persisted", accepted.bindings().isEmpty()
                    ? "an AOR" : accepted.bindings().get(0).aor());
        }
        return all;
    }

    public int pending() {
        return queue.size();
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
                writeUntilDone(drained);
                drained.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void writeUntilDone(List<Change> changes) throws InterruptedException {
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
                return;
            } catch (RuntimeException e) {
                if (!running && backoff > 1600) {
                    LOG.error("giving up persisting {} binding changes at shutdown: {}", last.size(), e.toString());
                    return;
                }
                LOG.warn("persisting {} binding changes failed, retrying in {} ms: {}", last.size(), backoff, e.toString());
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

    /** Stops accepting work after draining what is queued (bounded by the retry budget). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        worker.join(15_000);
    }
}
