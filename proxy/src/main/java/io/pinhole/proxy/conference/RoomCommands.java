package io.pinhole.proxy.conference;

import java.util.LinkedHashMap;
import java.util.Map;

/** The ng commands of the conference contract (join, leave, query, block/unblock media) for a party. */
final class RoomCommands {

    private RoomCommands() {
    }

    /** @param room carries the PIN and cap; a re-offer sends the same (the relay keeps the first) */
    static Map<String, Object> join(Party party, Room room, String sdp) {
        Map<String, Object> command = party(party, "join");
        command.put("room", room.id());
        command.put("sdp", sdp);
        if (room.pin() != null) {
            command.put("pin", room.pin());
        }
        if (room.maxParties() != null) {
            command.put("max-parties", room.maxParties());
        }
        command.put("label", party.caller);
        return command;
    }

    static Map<String, Object> leave(Party party) {
        return party(party, "leave");
    }

    static Map<String, Object> query(Party party) {
        return party(party, "query");
    }

    static Map<String, Object> mute(Party party, boolean muted) {
        return party(party, muted ? "block media" : "unblock media");
    }

    private static Map<String, Object> party(Party party, String command) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("command", command);
        map.put("call-id", party.callId);
        map.put("from-tag", party.fromTag);
        return map;
    }

    /** The {@code state} of a join reply or of a party dict: lobby, joined or refused (null when absent). */
    static String state(Map<String, Object> reply) {
        Object state = reply.get("state");
        if (state == null && reply.get("party") instanceof Map<?, ?> party) {
            state = party.get("state");
        }
        return state == null ? null : state.toString();
    }
}
