package io.pinhole.relay.sdp;

import java.util.List;

/**
 * How to rewrite one SDP body towards the relay.
 *
 * @param address       the relay's advertised address (IPv4 or IPv6 literal)
 * @param replaceOrigin also rewrite the o= line's address
 * @param ice           what to do with ICE attributes
 * @param iceUfrag      our ICE username fragment (used with {@link IceMode#FORCE})
 * @param icePwd        our ICE password (used with {@link IceMode#FORCE})
 * @param media         one target per m= line, in order; {@code null} leaves a disabled stream alone
 */
public record RewritePlan(String address, boolean replaceOrigin, IceMode ice, String iceUfrag, String icePwd,
                          List<MediaTarget> media) {

    String family() {
        return address.indexOf(':') >= 0 ? "IP6" : "IP4";
    }
}
