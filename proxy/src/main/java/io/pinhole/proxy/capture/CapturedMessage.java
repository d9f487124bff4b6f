package io.pinhole.proxy.capture;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One SIP message as the proxy received or sent it. It holds the bytes as they were on the wire
 * (the stack's own array, not a copy: nothing writes to it again) and makes text of them only when
 * the ladder is read; most captured calls are never looked at.
 *
 * <p>Not a record: a record would hand out and compare its array.
 */
public final class CapturedMessage {

    private final Instant at;
    private final boolean sent;
    private final String peer;
    private final String callId;
    private final byte[] wire;

    /**
     * @param sent   true for a message the proxy sent, false for one it received
     * @param peer   the other end, "address:port"
     * @param callId the Call-ID of the leg it belongs to (a B2BUA call has one per leg)
     * @param wire   the whole message as on the wire (secrets already redacted); kept, not copied
     */
    public CapturedMessage(Instant at, boolean sent, String peer, String callId, byte[] wire) {
        this.at = Objects.requireNonNull(at, "at");
        this.sent = sent;
        this.peer = peer;
        this.callId = callId;
        this.wire = Objects.requireNonNull(wire, "wire");
    }

    /** As the other constructor, from the message's text. */
    public CapturedMessage(Instant at, boolean sent, String peer, String callId, String text) {
        this(at, sent, peer, callId, text.getBytes(StandardCharsets.UTF_8));
    }

    public Instant at() {
        return at;
    }

    public boolean sent() {
        return sent;
    }

    public String peer() {
        return peer;
    }

    public String callId() {
        return callId;
    }

    /** The whole message as on the wire. */
    public String text() {
        return new String(wire, StandardCharsets.UTF_8);
    }

    /** The request line or status line. */
    public String firstLine() {
        int end = 0;
        while (end < wire.length && wire[end] != '\r' && wire[end] != '\n') {
            end++;
        }
        return new String(wire, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return (sent ? "out " : "in ") + peer + " " + firstLine();
    }
}
