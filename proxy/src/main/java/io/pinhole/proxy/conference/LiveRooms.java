package io.pinhole.proxy.conference;

import io.pinhole.proxy.admin.ApiException;
import org.springframework.http.HttpStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The admin API's view of rooms in progress (from memory) and its actions on them: mute, remove, end. */
class LiveRooms {

    private static final long RELAY_WAIT_MILLIS = 3000;

    private final Parties parties;
    private final PartyEnd end;

    LiveRooms(Parties parties, PartyEnd end) {
        this.parties = parties;
        this.end = end;
    }

    List<LiveRoomView> rooms() {
        Map<String, List<Party>> byRoom = new TreeMap<>();
        for (Party party : parties.all()) {
            byRoom.computeIfAbsent(party.room, r -> new ArrayList<>()).add(party);
        }
        List<LiveRoomView> rooms = new ArrayList<>();
        byRoom.forEach((room, members) -> {
            members.sort(Comparator.comparing((Party p) -> p.startedAt));
            String relay = members.stream().filter(p -> p.relay != null).map(p -> p.relay.name()).findFirst().orElse(null);
            List<LiveRoomView.LivePartyView> views = new ArrayList<>();
            for (Party p : members) {
                synchronized (p) {
                    if (p.state == Party.State.ENDED) {
                        continue;
                    }
                    views.add(new LiveRoomView.LivePartyView(p.callId, p.caller, p.state.name().toLowerCase(Locale.ROOT),
                            p.codec, p.muted, p.held, p.answeredAt, p.joinedAt));
                }
            }
            if (!views.isEmpty()) {
                rooms.add(new LiveRoomView(room, relay, views));
            }
        });
        return rooms;
    }

    void mute(String room, String callId, boolean muted) {
        Party party = party(room, callId);
        try {
            party.relay.client().send(RoomCommands.mute(party, muted)).get(RELAY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted");
        } catch (ExecutionException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "relay " + party.relay.name() + " refused: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ApiException(HttpStatus.GATEWAY_TIMEOUT, "relay " + party.relay.name() + " did not answer");
        }
        synchronized (party) {
            party.muted = muted;
        }
    }

    /** BYE to the party (Reason: removed by the administrator); its CDR outcome is admin-hangup. */
    void remove(String room, String callId) {
        if (!end.hangUp(party(room, callId), 200, "removed from the conference by the administrator", "admin-hangup")) {
            throw new ApiException(HttpStatus.CONFLICT, "party " + callId + " of " + room
                    + " is not answered yet or has just ended");
        }
    }

    /** BYE to every party of the room; the room ends with its last party. */
    void endRoom(String room) {
        List<Party> members = parties.inRoom(room);
        if (members.isEmpty()) {
            throw ApiException.notFound("conference " + room + " in progress");
        }
        members.forEach(p -> end.hangUp(p, 200, "conference ended by the administrator", "admin-hangup"));
    }

    private Party party(String room, String callId) {
        return parties.inRoom(room).stream().filter(p -> p.callId.equals(callId) && p.state() != Party.State.ENDED)
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("party " + callId + " of conference " + room));
    }
}
