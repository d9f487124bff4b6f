package io.pinhole.relay.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ping} → {@code pong}: the liveness probe Kamailio and OpenSIPS send. The reply also lists
 * the media transports this relay serves, with their ports, so a proxy learns them on every health
 * check instead of from its own configuration:
 * <pre>
 * {"result": "pong", "transports": [{"transport": "udp"}, {"transport": "tls", "port": 443}, ...]}
 * </pre>
 * UDP is always served (per-call ports, so none is named); {@code tcp}, {@code tls}, {@code http}
 * when bound. rtpengine's pong carries {@code result} alone and its clients read only that, so the
 * extra key harms none of them; a proxy reading a pong without it takes the relay as UDP only.
 */
final class PingCommand implements NgCommand {

    private final Map<String, Object> reply;

    /** A relay serving media over UDP only. */
    PingCommand() {
        this(0, 0, 0);
    }

    /** @param tcpPort the bound TCP media port (0 = none), {@code tlsPort} and {@code httpPort} the same for TLS, HTTP */
    PingCommand(int tcpPort, int tlsPort, int httpPort) {
        List<Object> transports = new ArrayList<>();
        transports.add(Map.of("transport", "udp"));
        stream(transports, "tcp", tcpPort);
        stream(transports, "tls", tlsPort);
        stream(transports, "http", httpPort);
        this.reply = Map.of("result", "pong", "transports", List.copyOf(transports));
    }

    private static void stream(List<Object> transports, String name, int port) {
        if (port != 0) {
            transports.add(Map.of("transport", name, "port", (long) port));
        }
    }

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public Map<String, Object> execute(NgRequest request) {
        return reply;
    }
}
