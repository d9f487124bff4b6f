package io.pinhole.wire.hep;

import java.util.Locale;
import java.util.Objects;

/**
 * Where captured SIP and RTCP go: a HEP v3 collector (Homer, or Kamailio's {@code sipcapture}), over
 * UDP or TCP, with this node's capture id and the collector's optional password (HEP's auth key chunk).
 *
 * @param transport "udp" or "tcp"
 * @param captureId  the capture agent id the collector files this node's messages under
 * @param password   the collector's auth key, or null; never logged
 */
public record HepTarget(String transport, String host, int port, int captureId, String password) {

    public HepTarget {
        Objects.requireNonNull(host, "host");
        transport = transport == null ? "udp" : transport.toLowerCase(Locale.ROOT);
        if (!transport.equals("udp") && !transport.equals("tcp")) {
            throw new IllegalArgumentException("HEP collector transport must be udp or tcp, was " + transport);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("HEP collector host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("HEP collector port must be 1-65535, was " + port);
        }
        if (captureId < 0) {
            throw new IllegalArgumentException("HEP capture id must be >= 0, was " + captureId);
        }
        password = password == null || password.isEmpty() ? null : password;
    }

    /**
     * A collector from its address: "host:port", "udp:host:port" or "tcp:host:port" (an IPv6 host in
     * brackets).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static HepTarget parse(String collector, int captureId, String password) {
        String text = collector.trim();
        String transport = "udp";
        int colon = text.indexOf(':');
        if (colon > 0 && (text.startsWith("udp:") || text.startsWith("tcp:"))) {
            transport = text.substring(0, colon);
            text = text.substring(colon + 1);
        }
        int portAt = text.lastIndexOf(':');
        if (portAt <= 0 || portAt == text.length() - 1) {
            throw new IllegalArgumentException("HEP collector '" + collector + "' is not [udp:|tcp:]host:port");
        }
        String host = text.substring(0, portAt);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("HEP collector '" + collector
                    + "': the transport is udp or tcp, and an IPv6 host goes in brackets");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(portAt + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("HEP collector '" + collector + "' has no numeric port");
        }
        return new HepTarget(transport, host, port, captureId, password);
    }

    /** The collector as {@link #parse} reads it back: "udp:host:port", an IPv6 host in brackets. */
    public String address() {
        return transport + ":" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "HepTarget[" + transport + ":" + host + ":" + port + ", captureId=" + captureId
                + ", password=" + (password == null ? "none" : "set") + "]";
    }
}
