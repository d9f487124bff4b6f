package io.pinhole.relay.sdp;

import java.net.InetAddress;

/**
 * What the relay needs to know about one {@code m=} line.
 *
 * @param index     0-based position among the m= lines
 * @param type      audio, video, ...
 * @param port      the m= port; 0 means the stream is disabled
 * @param protocol  RTP/AVP, RTP/SAVP, ...
 * @param address   effective connection address (media-level c= or else session-level)
 * @param direction effective direction attribute
 * @param rtcpPort  port from a=rtcp, or -1 when absent (RTCP on port + 1)
 * @param rtcpMux   a=rtcp-mux present
 * @param formats   the numeric formats of the m= line: for an RTP profile, the payload types
 *                  this side negotiates (other formats, such as T.38's {@code t38}, are not kept)
 */
public record SdpMedia(int index, String type, int port, String protocol, InetAddress address,
                       Direction direction, int rtcpPort, boolean rtcpMux, PayloadTypes formats) {

    /** c=0.0.0.0 (or ::) is the old-style hold: the peer must not be sent media. */
    public boolean onHoldByAddress() {
        return address.isAnyLocalAddress();
    }

    /** No media is expected from this side: hold by address, inactive or disabled. */
    public boolean quiet() {
        return port == 0 || onHoldByAddress() || direction == Direction.INACTIVE || direction == Direction.SENDONLY
                || direction == Direction.RECVONLY;
    }
}
