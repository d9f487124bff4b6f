package io.pinhole.sip;

import java.io.EOFException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

/**
 * Whether a failure to send means only that the peer closed its TCP or TLS connection first.
 * A phone that hangs up its connection before our answer is an ordinary event on a stream
 * transport (RFC 3261 18.2.2 leaves the response undeliverable), not a fault of ours: callers
 * log it at INFO, so a WARN stays a sign of something to fix.
 */
public final class PeerGone {

    private PeerGone() {
    }

    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketException || t instanceof ClosedChannelException || t instanceof EOFException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("Socket is closed") || message.contains("Broken pipe")
                    || message.contains("Connection reset"))) {
                return true; // the RI wraps the IOException's text into a SipException without a cause
            }
        }
        return false;
    }
}
