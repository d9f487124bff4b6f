package io.pinhole.proxy.capture;

import java.time.Instant;

/**
 * One SIP message as the proxy received or sent it.
 *
 * @param sent   true for a message the proxy sent, false for one it received
 * @param peer   the other end, "address:port"
 * @param callId the Call-ID of the leg it belongs to (a B2BUA call has one per leg)
 * @param text   the whole message as on the wire
 */
public record CapturedMessage(Instant at, boolean sent, String peer, String callId, String text) {

    /** The request line or status line. */
    public String firstLine() {
        int end = text.indexOf('\r');
        if (end < 0) {
            end = text.indexOf('\n');
        }
        return end < 0 ? text : text.substring(0, end);
    }
}
