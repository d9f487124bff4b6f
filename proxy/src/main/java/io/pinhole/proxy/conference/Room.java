package io.pinhole.proxy.conference;

import java.time.OffsetDateTime;

/**
 * A room of a served domain, as the {@code conferences} table holds it. Ad hoc rooms (the
 * configured prefix) have no row: {@link #adhoc(String, String)}.
 *
 * @param pin        digits a party keys before it is let in, null for none
 * @param maxParties the room's own cap, null for the relay's ceiling
 * @param createdAt  null for an ad hoc room
 */
record Room(String domain, String name, String pin, Integer maxParties, OffsetDateTime createdAt) {

    static Room adhoc(String domain, String name) {
        return new Room(domain, name, null, null, null);
    }

    /** What parties dial and the relay names the room by: name@domain. */
    String id() {
        return name + "@" + domain;
    }

    @Override
    public String toString() {
        return "Room[" + id() + (pin == null ? "" : ", with PIN") + "]"; // never the PIN itself in a log
    }
}
