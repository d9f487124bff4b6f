package io.pinhole.relay.call;

import io.pinhole.relay.sdp.IceMode;
import java.net.InetAddress;

/**
 * The ng flags that shape one offer or answer, already parsed.
 *
 * @param sipSourceAddress  send to {@code receivedFrom} instead of the SDP address
 * @param receivedFrom      the SIP signalling source (ng {@code received-from}), or null
 * @param mediaAddress      explicit address of this side's media (ng {@code media-address}), or null
 * @param symmetric         latch to the first source (false for the {@code asymmetric} flag)
 * @param strictSource      drop packets from other sources after latching
 * @param replaceOrigin     rewrite the o= line too
 * @param ice               what to do with ICE attributes
 * @param rtcpMuxOffer      offer rtcp-mux to the receiver of the rewritten SDP
 * @param rtcpMuxAccept     accept rtcp-mux from the offerer whatever the answerer does
 * @param rtcpMuxDemux      never use rtcp-mux towards the receiver of the rewritten SDP
 */
public record MediaOptions(boolean sipSourceAddress, InetAddress receivedFrom, InetAddress mediaAddress,
                           boolean symmetric, boolean strictSource, boolean replaceOrigin, IceMode ice,
                           boolean rtcpMuxOffer, boolean rtcpMuxAccept, boolean rtcpMuxDemux) {
}
