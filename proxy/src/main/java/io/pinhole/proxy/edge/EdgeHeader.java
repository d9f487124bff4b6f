package io.pinhole.proxy.edge;

import io.pinhole.proxy.media.MediaTransport;

import javax.sip.header.Header;
import javax.sip.message.Request;
import java.util.HashMap;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the {@code Pinhole-Edge} header of an edge agent's own REGISTER:
 * <pre>
 * Pinhole-Edge: media=&lt;udp|tcp|tls|http&gt;;udp-out=&lt;yes|no&gt;;udp-in=&lt;yes|no&gt;;id=&lt;agent-uuid&gt;[;up=udp][;token=...]
 * </pre>
 * {@code token=}: the agent logs in with a token from the admin API instead of a digest ({@link #token}).
 * {@code up=udp}: the agent sends its phones' media up over UDP and {@code media} carries only what
 * comes down (its firewall lets UDP out but not in); without it {@code media} carries both ways.
 * Pure: the registrar calls it only once the REGISTER's digest succeeded, and refuses what it
 * throws with a 400 carrying the message. Parameters it does not know are ignored (a newer agent
 * may send more).
 */
public final class EdgeHeader {

    public static final String NAME = "Pinhole-Edge";

    /** A header that cannot be taken: the reason phrase of the 400. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private EdgeHeader() {
    }

    /**
     * The header of {@code request} arriving over {@code transport}, or null without one.
     *
     * @throws Invalid more than one header, over a transport other than TCP or TLS (an edge flow is a
     *                 connection: UDP has none the proxy could send the phones' requests back on), or
     *                 a malformed value
     */
    public static EdgeInfo read(Request request, String transport) throws Invalid {
        ListIterator<?> headers = request.getHeaders(NAME);
        if (headers == null || !headers.hasNext()) {
            return null;
        }
        String value = value((Header) headers.next());
        if (headers.hasNext()) {
            throw new Invalid("More than one " + NAME + " header");
        }
        String t = transport == null ? "" : transport.toUpperCase(Locale.ROOT);
        if (!t.equals("TCP") && !t.equals("TLS")) {
            throw new Invalid(NAME + " is accepted over TCP or TLS only, not " + t);
        }
        return parse(value);
    }

    /**
     * The {@code token=} parameter of the request's (first) header: an edge agent logging in with a
     * token from the admin API instead of a digest; null when there is none.
     */
    public static String token(Request request) {
        ListIterator<?> headers = request.getHeaders(NAME);
        if (headers == null || !headers.hasNext()) {
            return null;
        }
        for (String part : value((Header) headers.next()).split(";")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "token=", 0, 6)) {
                return p.substring(6).trim();
            }
        }
        return null;
    }

    private static String value(Header header) {
        if (header instanceof javax.sip.header.ExtensionHeader extension) {
            return extension.getValue() == null ? "" : extension.getValue().trim();
        }
        String text = header.toString();
        int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(colon + 1)).trim();
    }

    /** The header's value, e.g. {@code media=tls;udp-out=no;udp-in=no;id=...}. */
    public static EdgeInfo parse(String value) throws Invalid {
        Map<String, String> params = new HashMap<>();
        for (String part : value.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String v = eq < 0 ? "" : p.substring(eq + 1).trim();
            if (params.put(name, v) != null) {
                throw new Invalid(NAME + " has " + name + " twice");
            }
        }
        String media = params.get("media");
        if (media == null) {
            throw new Invalid(NAME + " lacks media=");
        }
        MediaTransport transport = MediaTransport.parse(media);
        if (transport == null) {
            throw new Invalid(NAME + " media=" + media + " is none of udp, tcp, tls, http");
        }
        String id = params.get("id");
        if (id == null || id.isEmpty()) {
            throw new Invalid(NAME + " lacks id=");
        }
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new Invalid(NAME + " id=" + id + " is no UUID");
        }
        MediaTransport up = transport;
        String upValue = params.get("up");
        if (upValue != null) {
            up = MediaTransport.parse(upValue);
            // only UDP is ever split off: the stream transports need the token the down link carries
            if (up != MediaTransport.UDP && up != transport) {
                throw new Invalid(NAME + " up=" + upValue + " is neither udp nor media's " + transport.wire());
            }
        }
        boolean udpOut = yesNo(params, "udp-out");
        if (up == MediaTransport.UDP && transport != MediaTransport.UDP && !udpOut) {
            throw new Invalid(NAME + " up=udp contradicts udp-out=no");
        }
        return new EdgeInfo(transport, udpOut, yesNo(params, "udp-in"), id.toLowerCase(Locale.ROOT), up);
    }

    private static boolean yesNo(Map<String, String> params, String name) throws Invalid {
        String v = params.get(name);
        if (v == null) {
            throw new Invalid(NAME + " lacks " + name + "=");
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new Invalid(NAME + " " + name + "=" + v + " is neither yes nor no");
        };
    }
}
