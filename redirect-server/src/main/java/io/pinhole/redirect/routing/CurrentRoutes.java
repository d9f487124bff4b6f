package io.pinhole.redirect.routing;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The route table the SIP threads read. Replaced whole by the reloader, never changed in place,
 * so a look-up sees one consistent snapshot without a lock.
 */
public final class CurrentRoutes {

    private final AtomicReference<Snapshot> current =
            new AtomicReference<>(new Snapshot(RouteTable.empty(), Instant.EPOCH));

    public RouteTable table() {
        return current.get().table();
    }

    public Instant loadedAt() {
        return current.get().loadedAt();
    }

    void replace(RouteTable table, Instant loadedAt) {
        current.set(new Snapshot(table, loadedAt));
    }

    private record Snapshot(RouteTable table, Instant loadedAt) {
    }
}
