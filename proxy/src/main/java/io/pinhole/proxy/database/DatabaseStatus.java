package io.pinhole.proxy.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the database answered the proxy's background work last time it was asked: the
 * writers and reloads report each outcome here, so an outage is logged once when it starts and
 * once when it ends instead of once per failed statement (every 5 s per task while it lasts).
 */
public final class DatabaseStatus {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseStatus.class);

    private final Clock clock;
    /** Null while the database answers. */
    private final AtomicReference<Instant> downSince = new AtomicReference<>();

    public DatabaseStatus(Clock clock) {
        this.clock = clock;
    }

    /** A statement went through. */
    public void reachable() {
        Instant since = downSince.getAndSet(null);
        if (since != null) {
            LOG.info("database available again after {} s: the queued binding changes and CDRs are being written",
                    Duration.between(since, clock.instant()).toSeconds());
        }
    }

    /**
     * A statement failed. True when the failure means the database is away (the caller keeps its
     * work and retries, quietly); false for any other failure, which the caller reports itself.
     */
    public boolean unreachable(String what, RuntimeException failure) {
        if (!DatabaseFailures.isOutage(failure)) {
            return false;
        }
        if (downSince.compareAndSet(null, clock.instant())) {
            LOG.warn("database unavailable ({} failed: {}): registrations and calls continue from memory; binding "
                    + "changes and CDRs are queued until it returns", what, rootCause(failure));
        }
        return true;
    }

    public boolean up() {
        return downSince.get() == null;
    }

    private static String rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }
}
