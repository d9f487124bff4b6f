package io.pinhole.proxy.conference;

import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parties of this proxy's rooms, and which relay hosts each room: every party of a room
 * must be mixed by the same relay, so the first party's relay is remembered until the room's
 * last party leaves (then the relay is released to the pool, which counts a room as one call).
 */
final class Parties {

    /** A room's relay and how many parties of ours (joining ones included) are on it. */
    private static final class Host {
        final Relay relay;
        int parties;

        Host(Relay relay) {
            this.relay = relay;
        }
    }

    private final RelayPool relays;
    private final Map<String, Party> byKey = new ConcurrentHashMap<>();
    private final Map<String, Party> byInvite = new ConcurrentHashMap<>();
    /** Guarded by this. */
    private final Map<String, Host> hosts = new HashMap<>();

    Parties(RelayPool relays) {
        this.relays = relays;
    }

    /** @return false when a party with the same Call-ID and From tag exists (a merged or looped INVITE) */
    boolean add(Party party) {
        if (byKey.putIfAbsent(party.key(), party) != null) {
            return false;
        }
        byInvite.put(party.inviteKey, party);
        return true;
    }

    /**
     * The relay of the party's room: the one hosting it, or a new one from the pool for the
     * room's first party; empty when no relay is up. Counted for the party until {@link #remove}.
     */
    synchronized Optional<Relay> host(Party party) {
        Host host = hosts.get(party.room);
        if (host == null) {
            Optional<Relay> relay = relays.acquireForNewCall(Set.of());
            if (relay.isEmpty()) {
                return Optional.empty();
            }
            host = new Host(relay.get());
            hosts.put(party.room, host);
        }
        host.parties++;
        party.relay = host.relay;
        return Optional.of(host.relay);
    }

    /** Forgets an ended party; the room's relay goes back to the pool with the room's last party. */
    void remove(Party party) {
        byKey.remove(party.key(), party);
        byInvite.remove(party.inviteKey, party);
        if (party.relay == null) {
            return;
        }
        synchronized (this) {
            Host host = hosts.get(party.room);
            if (host != null && host.relay == party.relay && --host.parties <= 0) {
                hosts.remove(party.room);
                relays.release(host.relay);
            }
        }
    }

    Optional<Party> byKey(String callId, String fromTag) {
        return Optional.ofNullable(byKey.get(Party.key(callId, fromTag)));
    }

    Optional<Party> byInvite(String inviteKey) {
        return Optional.ofNullable(byInvite.get(inviteKey));
    }

    List<Party> all() {
        return new ArrayList<>(byKey.values());
    }

    List<Party> inRoom(String room) {
        return byKey.values().stream().filter(p -> p.room.equals(room)).toList();
    }

    int count() {
        return byKey.size();
    }

    synchronized int rooms() {
        return hosts.size();
    }
}
