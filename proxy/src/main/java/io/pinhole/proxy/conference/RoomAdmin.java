package io.pinhole.proxy.conference;

import io.pinhole.proxy.admin.ApiException;
import io.pinhole.proxy.directory.UserDirectory;

import java.util.List;
import java.util.Locale;

/** Admin changes to rooms: written to the table, then seen by the SIP side at once (reload). */
class RoomAdmin {

    private final RoomStore store;
    private final RoomDirectory rooms;
    private final io.pinhole.proxy.directory.DirectoryRepository domains;

    RoomAdmin(RoomStore store, RoomDirectory rooms, io.pinhole.proxy.directory.DirectoryRepository domains) {
        this.store = store;
        this.rooms = rooms;
        this.domains = domains;
    }

    List<RoomView> list(String domain) {
        String d = existingDomain(domain);
        return store.list(d).stream().map(RoomView::of).toList();
    }

    RoomView get(String domain, String name) {
        String d = existingDomain(domain);
        return store.find(d, name).map(RoomView::of)
                .orElseThrow(() -> ApiException.notFound("conference " + name + "@" + d));
    }

    RoomView create(String domain, CreateRoom request) {
        String d = existingDomain(domain);
        // Bean validation answered already; these guard the callers that skip it (and say the same).
        if (!RoomNames.validName(request.name())) {
            throw ApiException.badRequest("name: may contain letters, digits and . _ ~ + - only (1 to 128)");
        }
        if (request.pin() != null && !RoomNames.validPin(request.pin())) {
            throw ApiException.badRequest("pin: must be 1 to 16 digits");
        }
        if (!RoomNames.validMaxParties(request.maxParties())) {
            throw ApiException.badRequest("maxParties: must be between " + RoomNames.MIN_PARTIES + " and "
                    + RoomNames.MAX_PARTIES);
        }
        if (!store.insert(d, request.name(), request.pin(), request.maxParties())) {
            throw ApiException.conflict("conference " + request.name() + "@" + d);
        }
        rooms.reload();
        return get(d, request.name());
    }

    /** Parties in the room stay until they hang up; no new party is let in. */
    void delete(String domain, String name) {
        String d = existingDomain(domain);
        if (!store.delete(d, name)) {
            throw ApiException.notFound("conference " + name + "@" + d);
        }
        rooms.reload();
    }

    private String existingDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (domains.findDomain(d).isEmpty()) {
            throw ApiException.notFound("domain " + domain);
        }
        return d;
    }
}
