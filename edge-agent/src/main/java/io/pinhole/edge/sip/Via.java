package io.pinhole.edge.sip;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One Via value: {@code SIP/2.0/UDP host:port;params}. Parameters keep their order; a flag
 * parameter (rport without a value) maps to null.
 */
public record Via(String transport, String host, int port, Map<String, String> params) {

    public static Via parse(String value) {
        String v = value.strip();
        int space = indexOfWhitespace(v);
        if (space < 0 || !v.toUpperCase(Locale.ROOT).startsWith("SIP/2.0/")) {
            throw new SipParseException("malformed Via: " + value);
        }
        String transport = v.substring(8, space).strip().toUpperCase(Locale.ROOT);
        String rest = v.substring(space).strip();
        String[] parts = rest.split(";");
        String sentBy = parts[0].strip();
        String host;
        int port = -1;
        if (sentBy.startsWith("[")) {
            int close = sentBy.indexOf(']');
            if (close < 0) {
                throw new SipParseException("malformed Via host: " + value);
            }
            host = sentBy.substring(0, close + 1);
            if (sentBy.length() > close + 2 && sentBy.charAt(close + 1) == ':') {
                port = parsePort(sentBy.substring(close + 2), value);
            }
        } else {
            int colon = sentBy.indexOf(':');
            host = colon < 0 ? sentBy : sentBy.substring(0, colon).strip();
            if (colon >= 0) {
                port = parsePort(sentBy.substring(colon + 1).strip(), value);
            }
        }
        if (host.isEmpty()) {
            throw new SipParseException("Via without a host: " + value);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                params.put(p.toLowerCase(Locale.ROOT), null);
            } else {
                params.put(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), p.substring(eq + 1).strip());
            }
        }
        return new Via(transport, host, port, params);
    }

    public String branch() {
        return params.get("branch");
    }

    /** Where a response to this hop goes (RFC 3261 18.2.2 with RFC 3581): received and rport first. */
    public String responseHost() {
        String received = params.get("received");
        return received != null ? received : host;
    }

    public int responsePort() {
        String rport = params.get("rport");
        if (rport != null) {
            try {
                return Integer.parseInt(rport);
            } catch (NumberFormatException e) {
                // fall through to the sent-by port
            }
        }
        return port > 0 ? port : 5060;
    }

    /** This Via with a parameter set (value null: a flag). */
    public Via with(String name, String value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(name, value);
        return new Via(transport, host, port, p);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SIP/2.0/").append(transport).append(' ').append(host);
        if (port > 0) {
            sb.append(':').append(port);
        }
        params.forEach((k, v) -> {
            sb.append(';').append(k);
            if (v != null) {
                sb.append('=').append(v);
            }
        });
        return sb.toString();
    }

    private static int parsePort(String s, String value) {
        try {
            int p = Integer.parseInt(s.strip());
            if (p < 1 || p > 65535) {
                throw new SipParseException("Via port out of range: " + value);
            }
            return p;
        } catch (NumberFormatException e) {
            throw new SipParseException("Via port is not a number: " + value);
        }
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
