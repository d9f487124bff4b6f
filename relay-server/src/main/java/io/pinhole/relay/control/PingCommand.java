package io.pinhole.relay.control;

import java.util.Map;

/** {@code ping} → {@code pong}: the liveness probe Kamailio and OpenSIPS send. */
final class PingCommand implements NgCommand {

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public Map<String, Object> execute(NgRequest request) {
        return Map.of("result", "pong");
    }
}
