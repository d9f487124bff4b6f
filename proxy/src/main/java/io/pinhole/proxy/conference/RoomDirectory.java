package io.pinhole.proxy.conference;

import io.pinhole.proxy.database.DatabaseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rooms the SIP side looks up, held in memory (a SIP thread never waits on the database).
 * Reloaded after every admin change in this process and every directory refresh interval, so a
 * room created by another proxy or by hand in SQL is found within it; while the database is away
 * the last good snapshot is served.
 */
class RoomDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(RoomDirectory.class);

    private final RoomStore store;
    private final DatabaseStatus database;
    private volatile Map<String, Room> rooms = Map.of();

    RoomDirectory(RoomStore store, DatabaseStatus database) {
        this.store = store;
        this.database = database;
        reload();
    }

    /** @param domain lower case, as the SIP side normalises it */
    Optional<Room> find(String domain, String name) {
        return Optional.ofNullable(rooms.get(name + "@" + domain));
    }

    int size() {
        return rooms.size();
    }

    @Scheduled(fixedDelayString = "${pinhole.directory.refresh-interval:5s}",
            initialDelayString = "${pinhole.directory.refresh-interval:5s}")
    void reload() {
        try {
            Map<String, Room> loaded = new HashMap<>();
            for (Room room : store.all()) {
                loaded.put(room.id(), room);
            }
            rooms = Map.copyOf(loaded);
        } catch (RuntimeException e) {
            if (database.unreachable("reloading conference rooms", e)) {
                return; // logged once per outage
            }
            LOG.warn("conference room reload failed, serving the previous rooms: {}", e.toString());
        }
    }
}
