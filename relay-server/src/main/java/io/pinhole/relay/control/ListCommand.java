package io.pinhole.relay.control;

import io.pinhole.relay.call.Call;
import io.pinhole.relay.call.CallRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code list}: the Call-IDs of live calls (at most {@code limit}, default 32, as rtpengine). */
final class ListCommand implements NgCommand {

    private final CallRegistry registry;

    ListCommand(CallRegistry registry) {
        this.registry = registry;
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
        return Map.of("result", "ok", "calls", ids);
    }
}
