package io.pinhole.relay.control;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The commands by wire name. */
public final class NgCommandTable {

    private final Map<String, NgCommand> byName = new HashMap<>();

    public NgCommandTable(List<NgCommand> commands) {
        for (NgCommand c : commands) {
            if (byName.put(NgRequest.normalise(c.name()), c) != null) {
                throw new IllegalArgumentException("two ng commands named " + c.name());
            }
        }
    }

    public NgCommand find(String name) {
        return name == null ? null : byName.get(NgRequest.normalise(name));
    }
}
