package io.pinhole.relay.sdp;

import java.util.List;

/** The parsed facts of an SDP body: its media streams in order. The text itself stays a String. */
public record SessionDescription(List<SdpMedia> media) {
}
