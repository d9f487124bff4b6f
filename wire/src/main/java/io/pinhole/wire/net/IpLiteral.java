package io.pinhole.wire.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals, parsed without ever resolving a name: a DNS lookup must not stall the
 * relay's control thread or the proxy's SIP thread, and a host name is never an address here.
 *
 * <p>{@link InetAddress#getByName} alone is not enough: it looks up in DNS any text that is not
 * a valid literal and does not start like an IPv6 one (e.g. {@code 256.1.1.1}, {@code host:5060}).
 * So the text is screened first, and only what can only be a literal reaches it.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /**
     * The address, or null when the text is not a dotted-quad IPv4 literal (each part 1 to 3
     * digits, at most 255) or an IPv6 literal (hex digits, colons, dots, an optional
     * {@code %zone}, optionally in brackets).
     */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            return isIpv6Shape(text) ? resolveLiteral(text) : null;
        }
        return isIpv4(text) ? resolveLiteral(text) : null;
    }

    /** A host as URIs and Via headers write it: an IPv4 literal may be bracketed too ({@code [192.0.2.1]}). */
    public static InetAddress parseHost(String host) {
        if (host != null && host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            return parse(host.substring(1, host.length() - 1));
        }
        return parse(host);
    }

    /** True for a dotted-quad IPv4 literal: four parts of 1 to 3 digits, each at most 255. */
    public static boolean isIpv4(String s) {
        int parts = 0;
        int digits = 0;
        int value = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? '.' : s.charAt(i);
            if (c == '.') {
                if (digits == 0 || value > 255 || ++parts > 4) {
                    return false;
                }
                digits = 0;
                value = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    /** Hex digits, ':' and '.', optionally bracketed, then an optional zone: getByName parses it and never asks DNS. */
    private static boolean isIpv6Shape(String text) {
        int start = 0;
        int end = text.length();
        if (text.charAt(0) == '[') {
            if (text.charAt(end - 1) != ']') {
                return false;
            }
            start = 1;
            end--;
        }
        int zone = text.indexOf('%', start);
        int addressEnd = zone >= 0 && zone < end ? zone : end;
        if (addressEnd == start) {
            return false;
        }
        for (int i = start; i < addressEnd; i++) {
            char c = text.charAt(i);
            if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress resolveLiteral(String literal) {
        try {
            return InetAddress.getByName(literal); // screened above: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
