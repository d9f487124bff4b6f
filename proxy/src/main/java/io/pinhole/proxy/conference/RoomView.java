package io.pinhole.proxy.conference;

import java.time.OffsetDateTime;

/**
 * A room as the admin API shows it: whether it has a PIN, never the PIN.
 *
 * @param maxParties the room's own cap, null = the relay's ceiling
 */
public record RoomView(String domain, String name, String uri, boolean hasPin, Integer maxParties,
                       OffsetDateTime createdAt) {

    static RoomView of(Room room) {
        return new RoomView(room.domain(), room.name(), "sip:" + room.id(), room.pin() != null, room.maxParties(),
                room.createdAt());
    }
}
