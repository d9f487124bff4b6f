package io.pinhole.relay.conference;

/** The answer to a {@code join}: the SDP for the party and where it stands. */
public record JoinResult(String sdp, PartyState state) {
}
