package io.pinhole.wire.sdp;

import java.util.List;

/**
 * The facts of an SDP body both sides of the wire read; the body itself stays a String.
 *
 * @param connection the session-level c= address, or null
 * @param attributes the session-level {@code a=} lines, whole and in order
 * @param media      the m= sections in order
 */
public record SdpDescription(Connection connection, List<String> attributes, List<MediaDescription> media) {

    public SdpDescription {
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }
}
