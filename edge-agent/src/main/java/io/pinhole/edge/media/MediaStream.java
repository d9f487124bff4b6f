package io.pinhole.edge.media;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One m= line of a call as the agent anchors it: its two LAN UDP sockets (RTP on an even port,
 * RTCP on the next), where the phone is (from its SDP until its first packet shows where it
 * really sends from) and where the relay's UDP ports are (for the UDP transport).
 * Addresses are volatile: the SIP thread sets them, the session's event loop reads them.
 */
final class MediaStream {

    final int index;
    final int port;
    final Channel rtp;
    final Channel rtcp;
    volatile InetSocketAddress phoneRtp;
    volatile InetSocketAddress phoneRtcp;
    volatile boolean phoneLatched;
    volatile InetSocketAddress relayRtp;
    volatile InetSocketAddress relayRtcp;

    MediaStream(int index, int port, Channel rtp, Channel rtcp) {
        this.index = index;
        this.port = port;
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    Channel channel(boolean isRtcp) {
        return isRtcp ? rtcp : rtp;
    }

    InetSocketAddress phone(boolean isRtcp) {
        return isRtcp ? phoneRtcp : phoneRtp;
    }

    InetSocketAddress relay(boolean isRtcp) {
        return isRtcp ? relayRtcp : relayRtp;
    }

    /** The phone's SDP address, unless its packets already showed the real one. */
    void phoneFromSdp(InetSocketAddress rtpAddress, InetSocketAddress rtcpAddress) {
        if (!phoneLatched) {
            phoneRtp = rtpAddress;
            phoneRtcp = rtcpAddress;
        }
    }

    /** Symmetric RTP: the phone is where its packets come from. */
    void latch(boolean isRtcp, InetSocketAddress source) {
        if (isRtcp) {
            if (!source.equals(phoneRtcp)) {
                phoneRtcp = source;
            }
        } else if (!source.equals(phoneRtp)) {
            phoneRtp = source;
            phoneLatched = true;
        }
    }

    void close() {
        rtp.close();
        rtcp.close();
    }
}
