package io.pinhole.wire.sdp;

import java.util.List;

/**
 * One {@code m=} section.
 *
 * @param index      0-based position among the m= lines
 * @param type       audio, video, image, ...
 * @param port       the m= port (without a {@code /count}); 0 means the stream is disabled
 * @param protocol   RTP/AVP, RTP/SAVP, udptl, ...
 * @param formats    the format fields of the m= line, as written
 * @param connection the effective c= address: the section's own, else the session's; null only for a
 *                   disabled stream when {@link SdpRules#disabledMediaNeedsConnection()} is off
 * @param attributes the section's {@code a=} lines, whole and in order
 * @param rtcpPort   the port of {@code a=rtcp}, or -1 when absent (or unreadable under {@link SdpRules#lenient()})
 */
public record MediaDescription(int index, String type, int port, String protocol, List<String> formats,
                               Connection connection, List<String> attributes, int rtcpPort) {

    public MediaDescription {
        formats = List.copyOf(formats);
        attributes = List.copyOf(attributes);
    }

    /** Whether the section has the attribute line {@code line} (e.g. {@code a=rtcp-mux}). */
    public boolean has(String line) {
        return attributes.contains(line);
    }
}
