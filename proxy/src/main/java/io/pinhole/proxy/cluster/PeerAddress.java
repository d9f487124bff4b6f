package io.pinhole.proxy.cluster;

import io.pinhole.proxy.sip.Flow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A proxy of the cluster by its SIP address: an IP literal and a port, reached over UDP. An IP
 * literal (not a name) because a peer is recognised by the source of its packets, and UDP because
 * a proxy sends UDP from its listening port: a request is a peer's only when it comes from
 * exactly that address and port, so a phone sharing the peer's host is never taken for it.
 */
public record PeerAddress(String host, int port) {

    private static final Pattern SIP_URI = Pattern.compile("(?i)sip:(\\[[0-9a-f:.]+]|[0-9.]+):([0-9]{1,5})(;transport=udp)?");

    /** Reads {@code value} of the setting {@code setting}; a bad value fails with the setting's name. */
    public static PeerAddress parse(String setting, String value) {
        Matcher m = SIP_URI.matcher(value == null ? "" : value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(setting + " must be a sip: URI with an IP address and a port, like "
                    + "sip:10.0.0.2:5060 (UDP only); was '" + value + "'");
        }
        String literal = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(setting + " has port " + port + ", outside 1-65535: '" + value + "'");
        }
        try {
            // an IP literal: never a DNS query
            return new PeerAddress(InetAddress.getByName(literal).getHostAddress(), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(setting + " has no valid IP address: '" + value + "'", e);
        }
    }

    /** As stored in {@code registrations.owner} and compared with other proxies' settings. */
    public String uri() {
        return "sip:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Where requests to this proxy go. */
    public Flow flow() {
        return new Flow(host, port, "UDP");
    }

    /** Whether a request that came along {@code source} was sent by this proxy. */
    public boolean sent(Flow source) {
        if (source == null || source.port() != port || !"UDP".equals(source.transport().toUpperCase(Locale.ROOT))) {
            return false;
        }
        try {
            return InetAddress.getByName(source.address()).getHostAddress().equals(host);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return uri();
    }
}
