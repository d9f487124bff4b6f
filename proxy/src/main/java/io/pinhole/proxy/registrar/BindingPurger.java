package io.pinhole.proxy.registrar;

import io.pinhole.proxy.database.DatabaseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;

/** Removes expired bindings from memory and from the database. */
public final class BindingPurger {

    private static final Logger LOG = LoggerFactory.getLogger(BindingPurger.class);

    private final BindingCache cache;
    private final BindingRepository repository;
    private final Clock clock;
    private final DatabaseStatus database;

    public BindingPurger(BindingCache cache, BindingRepository repository, Clock clock, DatabaseStatus database) {
        this.cache = cache;
        this.repository = repository;
        this.clock = clock;
        this.database = database;
    }

    @Scheduled(fixedDelayString = "${pinhole.registrar.purge-interval:10s}")
    public void purge() {
        int fromMemory = cache.purgeExpired(clock.instant());
        try {
            int fromDatabase = repository.deleteExpired();
            database.reachable();
            if (fromMemory > 0 || fromDatabase > 0) {
                LOG.debug("purged {} expired bindings from memory, {} from the database", fromMemory, fromDatabase);
            }
        } catch (RuntimeException e) {
            if (database.unreachable("purging expired bindings", e)) {
                return; // logged once per outage; the next purge after it catches up
            }
            LOG.warn("purging expired bindings from the database failed: {}", e.toString());
        }
    }
}
