package io.pinhole.relay.call;

/**
 * An offer or answer as the relay sees it.
 *
 * @param callId  SIP Call-ID
 * @param fromTag tag of the offerer (also for the answer, as in rtpengine)
 * @param toTag   tag of the answerer, or null when not yet known
 * @param sdp     the SDP body to rewrite
 * @param options parsed flags
 */
public record SdpExchange(String callId, String fromTag, String toTag, String sdp, MediaOptions options) {
}
