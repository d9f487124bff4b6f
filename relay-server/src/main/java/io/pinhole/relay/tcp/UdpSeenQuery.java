package io.pinhole.relay.tcp;

import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * The answer to {@code GET /pinhole/udp-seen?tx=<24 hex digits>}: whether the relay's STUN port
 * received the Binding request with that transaction id, and from where. An edge agent that got no
 * STUN answer asks this over TCP to tell "UDP gets out but not back in" from "UDP is blocked" (seed
 * 004's probe). Needs no call token: the question names 96 random bits only its asker knows. Pure.
 *
 * @param status 200 seen, 404 not seen, 400/405 a malformed question
 * @param text   the response body's line
 */
record UdpSeenQuery(int status, String text) {

    /** @param sightings where a transaction id's request came from, or null */
    static UdpSeenQuery answer(String method, String uri, Function<String, InetSocketAddress> sightings) {
        if (!"GET".equals(method)) {
            return new UdpSeenQuery(405, "method " + (method.length() > 16 ? method.substring(0, 16) : method) + " (GET)");
        }
        String tx = parameter(uri, "tx");
        if (tx == null || !tx.matches("[0-9a-fA-F]{24}")) {
            return new UdpSeenQuery(400, "tx must be a STUN transaction id in 24 hex digits");
        }
        InetSocketAddress from = sightings.apply(tx);
        return from == null ? new UdpSeenQuery(404, "not seen")
                : new UdpSeenQuery(200, "seen " + from.getAddress().getHostAddress() + ":" + from.getPort());
    }

    private static String parameter(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }
}
