package io.pinhole.proxy.dns;

import java.util.Locale;

/**
 * The parts of a SIP URI that decide how it is resolved (RFC 3263 §4): its host (an IP literal
 * without brackets, or a name), its port ({@code -1} when absent), its {@code transport}
 * parameter in upper case ({@code null} when absent) and whether it is a {@code sips:} URI.
 */
public record SipTarget(String host, int port, String transport, boolean secure) {

    public SipTarget {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a SIP target needs a host");
        }
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".") && host.length() > 1) {
            host = host.substring(0, host.length() - 1);
        }
        transport = transport == null || transport.isEmpty() ? null : transport.toUpperCase(Locale.ROOT);
    }

    public static SipTarget of(javax.sip.address.SipURI uri) {
        return new SipTarget(uri.getHost(), uri.getPort(), uri.getTransportParam(), uri.isSecure());
    }
}
