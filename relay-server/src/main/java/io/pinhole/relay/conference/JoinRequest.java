package io.pinhole.relay.conference;

/**
 * An ng {@code join}, its keys checked for presence by the command.
 *
 * @param pin        digits, or null for none
 * @param maxParties the room's own cap, or 0 for the relay's ceiling
 * @param label      free text for logs and {@code query}, or ""
 */
public record JoinRequest(String callId, String fromTag, String room, String sdp, String pin, int maxParties,
                          String label) {
}
