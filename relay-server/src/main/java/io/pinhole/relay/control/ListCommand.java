package io.pinhole.relay.control;

import io.pinhole.relay.call.Call;
import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.conference.Conferences;
import io.pinhole.relay.conference.Room;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code list}: the Call-IDs of live calls (at most {@code limit}, default 32, as rtpengine), and
 * the ids of the conference rooms under {@code rooms} when there are any.
 */
final class ListCommand implements NgCommand {

    private final CallRegistry registry;
    private final Conferences conferences;

    ListCommand(CallRegistry registry, Conferences conferences) {
        this.registry = registry;
        this.conferences = conferences;
    }

    @Override
    public String name() {
        return "list";
    }

    @Override
    public Map<String, Object> execute(NgRequest r) throws NgException {
        long limit = 32;
        String l = r.string("limit");
        if (l != null) {
            try {
                limit = Long.parseLong(l);
            } catch (NumberFormatException e) {
                throw new NgException("Invalid limit");
            }
        }
        List<String> ids = new ArrayList<>();
        for (Call c : registry.calls()) {
            if (ids.size() >= limit) {
                break;
            }
            ids.add(c.callId());
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("result", "ok");
        reply.put("calls", ids);
        if (!conferences.rooms().isEmpty()) {
            List<String> rooms = new ArrayList<>();
            for (Room room : conferences.rooms()) {
                rooms.add(room.id());
            }
            reply.put("rooms", rooms);
        }
        return reply;
    }
}
