package io.pinhole.relay.support;

import java.util.HashMap;
import java.util.Map;

/** ng command dictionaries for the relay's integration tests. */
public final class NgRequests {

    private NgRequests() {
    }

    /** {@code command} for {@code callId} with further key/value pairs, e.g. {@code "from-tag", "a"}. */
    public static Map<String, Object> req(String command, String callId, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("command", command);
        m.put("call-id", callId);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
