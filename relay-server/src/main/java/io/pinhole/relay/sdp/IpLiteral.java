package io.pinhole.relay.sdp;

import java.net.InetAddress;

/** IP address literals, parsed without ever resolving a name (a DNS lookup must not stall the control thread). */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** The address, or null when the text is not an IPv4 or IPv6 literal. */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return SdpParser.literal(text.indexOf(':') >= 0 ? "IP6" : "IP4", text);
    }
}
