package io.pinhole.relay.media;

/**
 * How one side's source address is learned and enforced.
 *
 * @param symmetric        send to the address the side's first packet came from (latching)
 *                         instead of its SDP address
 * @param strictSource     after latching, drop packets from any other source
 * @param relatchOnNewSsrc accept a new source when it brings a new RTP SSRC (roaming phones)
 */
public record LatchPolicy(boolean symmetric, boolean strictSource, boolean relatchOnNewSsrc) {
}
