package io.pinhole.edge.sip;

import java.util.Locale;

/**
 * The few things a proxy reads from a SIP URI: host, port and URI parameters, whether it stands
 * alone (a Request-URI) or in a name-addr ({@code "Bob" <sip:bob@host;lr>;tag=x}).
 */
public record SipUri(String host, int port, String uriParams) {

    /** The URI inside a name-addr's angle brackets, or the value itself (up to its header params). */
    public static String uriOf(String nameAddr) {
        int lt = nameAddr.indexOf('<');
        if (lt >= 0) {
            int gt = nameAddr.indexOf('>', lt);
            if (gt < 0) {
                throw new SipParseException("unclosed '<' in " + nameAddr);
            }
            return nameAddr.substring(lt + 1, gt).strip();
        }
        int semi = nameAddr.indexOf(';');
        return (semi < 0 ? nameAddr : nameAddr.substring(0, semi)).strip();
    }

    /** Parses {@code sip:user@host:port;params?headers} (sips: too). */
    public static SipUri parse(String uri) {
        String u = uri.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sip:")) {
            u = u.substring(4);
        } else if (lower.startsWith("sips:")) {
            u = u.substring(5);
        } else {
            throw new SipParseException("not a SIP URI: " + uri);
        }
        int q = u.indexOf('?');
        if (q >= 0) {
            u = u.substring(0, q);
        }
        int at = u.lastIndexOf('@');
        if (at >= 0) {
            u = u.substring(at + 1);
        }
        int semi = u.indexOf(';');
        String params = semi < 0 ? "" : u.substring(semi + 1);
        String hostPort = semi < 0 ? u : u.substring(0, semi);
        String host;
        int port = -1;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = hostPort.substring(0, close + 1);
            if (hostPort.length() > close + 2) {
                port = port(hostPort.substring(close + 2), uri);
            }
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            if (colon >= 0) {
                port = port(hostPort.substring(colon + 1), uri);
            }
        }
        if (host.isEmpty()) {
            throw new SipParseException("SIP URI without a host: " + uri);
        }
        return new SipUri(host, port, params);
    }

    /** True when the URI has the parameter (with or without a value). */
    public boolean hasParam(String name) {
        return param(uriParams, name) != null;
    }

    public int portOr(int fallback) {
        return port > 0 ? port : fallback;
    }

    /** A header parameter (after the name-addr's '>'), e.g. To's tag; "" for a flag; null when absent. */
    public static String headerParam(String nameAddr, String name) {
        int gt = nameAddr.lastIndexOf('>');
        String params = gt >= 0 ? nameAddr.substring(gt + 1) : nameAddr.substring(Math.max(0, nameAddr.indexOf(';')));
        return param(params, name);
    }

    private static String param(String params, String name) {
        for (String p : params.split(";")) {
            String s = p.strip();
            int eq = s.indexOf('=');
            String key = eq < 0 ? s : s.substring(0, eq).strip();
            if (key.equalsIgnoreCase(name)) {
                return eq < 0 ? "" : s.substring(eq + 1).strip();
            }
        }
        return null;
    }

    private static int port(String s, String uri) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new SipParseException("SIP URI port is not a number: " + uri);
        }
    }
}
