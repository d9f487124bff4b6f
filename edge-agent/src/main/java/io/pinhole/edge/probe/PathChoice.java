package io.pinhole.edge.probe;

import io.pinhole.edge.media.Transport;

/**
 * The media path the agent uses and announces ({@code Pinhole-Edge: media=..;udp-out=..;udp-in=..}),
 * with the sentence it logs.
 *
 * @param udpUpstream  the phones' media goes up over UDP while {@code media} brings the return media
 *                     down (a firewall that lets UDP out but not in)
 * @param viaHttpProxy HTTP media goes through the configured forward proxy
 * @param usable       false when nothing passed the probe (the agent still registers, and says so)
 */
public record PathChoice(Transport media, boolean udpOut, boolean udpIn, boolean udpUpstream, boolean viaHttpProxy,
                         boolean usable, String words) {

    /**
     * The value of the {@code Pinhole-Edge} header for this choice; {@code up=udp} when the phones'
     * media goes up over UDP and {@code media} only brings it down, so the proxy records the leg as it is.
     */
    public String edgeHeader(String agentId) {
        return "media=" + media.wire() + ";udp-out=" + (udpOut ? "yes" : "no") + ";udp-in=" + (udpIn ? "yes" : "no")
                + ";id=" + agentId + (udpUpstream && media != Transport.UDP ? ";up=udp" : "");
    }
}
