package io.pinhole.relay.sdp;

/**
 * Where the receiver of a rewritten SDP must send one stream's media.
 *
 * @param rtpPort  relay RTP port
 * @param rtcpPort relay RTCP port (equal to rtpPort when muxed)
 * @param rtcpMux  announce a=rtcp-mux
 */
public record MediaTarget(int rtpPort, int rtcpPort, boolean rtcpMux) {
}
