package io.pinhole.relay.control;

import io.pinhole.relay.call.Call;
import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.Side;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ng side of media over TCP, TLS and HTTP: reads {@code media-transport} from an offer or answer,
 * refuses a transport this relay does not serve before anything is allocated, and after the
 * command puts the side's token and the relay's ports into the reply.
 *
 * <p>{@code media-transport} names the transport of the side whose SDP the command carries: the
 * offerer ({@code from-tag}) in an offer, the answerer ({@code to-tag}) in an answer, as
 * {@code media-address} does. Values: {@code udp} (the default), {@code tcp}, {@code tls}, {@code http}.
 * The reply then has {@code tcp-token} and the ports the relay serves: {@code tcp-port},
 * {@code tls-port}, {@code http-port}. One token opens any of them.
 *
 * <p>{@code answerer-media-transport} in an offer asks the same for the side that will answer: a
 * proxy must send that side's token in the INVITE, before any answer exists. The reply carries it
 * as {@code answerer-tcp-token} (with the same port keys). The token belongs to the call's other
 * side whatever tag the answer later gives it.
 */
final class StreamGrants {

    /** A relay (or a warm-up) that serves neither TCP nor TLS. */
    static final StreamGrants NONE = new StreamGrants(null, 0, 0, 0);

    private final CallRegistry registry;
    private final int tcpPort;
    private final int tlsPort;
    private final int httpPort;

    /** @param tcpPort the bound TCP media port, 0 = none; {@code tlsPort}, {@code httpPort} the same for TLS, HTTP */
    StreamGrants(CallRegistry registry, int tcpPort, int tlsPort, int httpPort) {
        this.registry = registry;
        this.tcpPort = tcpPort;
        this.tlsPort = tlsPort;
        this.httpPort = httpPort;
    }

    /** Whether the request asks for a token; an error when it asks for a transport this relay lacks. */
    boolean requested(NgRequest r) throws NgException {
        return requested(r, "media-transport");
    }

    /** The same for {@code answerer-media-transport} (offers only): a token for the side that will answer. */
    boolean answererRequested(NgRequest r) throws NgException {
        return requested(r, "answerer-media-transport");
    }

    private boolean requested(NgRequest r, String key) throws NgException {
        String value = r.string(key);
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (NgRequest.normalise(value)) {
            case "udp" -> false;
            case "tcp" -> served("tcp", tcpPort);
            case "tls" -> served("tls", tlsPort);
            case "http" -> served("http", httpPort != 0 ? httpPort : tlsPort); // the TLS port speaks HTTPS too
            default -> throw new NgException("Invalid " + key + " '" + value + "' (udp, tcp, tls or http)");
        };
    }

    private static boolean served(String name, int port) throws NgException {
        if (port == 0) {
            throw new NgException("Media transport " + name + " is not served by this relay");
        }
        return true;
    }

    /** Adds the token of {@code tag}'s side and the ports to a reply; after a successful command. */
    Map<String, Object> grant(Map<String, Object> reply, String callId, String tag) throws NgException {
        Call call = registry.find(callId);
        Side side = call == null ? null : call.side(tag);
        if (side == null) {
            throw new NgException("Unknown call-id or tag for media-transport");
        }
        return withPorts(reply, "tcp-token", registry.streamToken(call, side));
    }

    /** Adds the token of the side opposite the offerer {@code fromTag} (the answerer to be) and the ports. */
    Map<String, Object> grantAnswerer(Map<String, Object> reply, String callId, String fromTag) throws NgException {
        Call call = registry.find(callId);
        Side offerer = call == null ? null : call.side(fromTag);
        if (offerer == null) {
            throw new NgException("Unknown call-id or tag for answerer-media-transport");
        }
        Side answerer = offerer == call.first() ? call.second() : call.first();
        return withPorts(reply, "answerer-tcp-token", registry.streamToken(call, answerer));
    }

    private Map<String, Object> withPorts(Map<String, Object> reply, String tokenKey, String token) {
        Map<String, Object> out = new LinkedHashMap<>(reply);
        out.put(tokenKey, token);
        if (tcpPort != 0) {
            out.put("tcp-port", (long) tcpPort);
        }
        if (tlsPort != 0) {
            out.put("tls-port", (long) tlsPort);
        }
        if (httpPort != 0) {
            out.put("http-port", (long) httpPort);
        }
        return out;
    }
}
