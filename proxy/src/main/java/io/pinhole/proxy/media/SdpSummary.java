package io.pinhole.proxy.media;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an SDP body the proxy decides on: connection addresses and media ports. The
 * relay rewrites the SDP itself; this only checks it is well-formed enough to hand on, and
 * gives NAT detection its c= addresses.
 */
public record SdpSummary(String sessionAddress, List<Media> media) {

    /** One m= line: its type, port and effective c= address (media level, else session level). */
    public record Media(String type, int port, String address) {
    }

    public SdpSummary {
        media = List.copyOf(media);
    }

    public List<String> connectionAddresses() {
        List<String> addresses = new ArrayList<>();
        if (sessionAddress != null) {
            addresses.add(sessionAddress);
        }
        for (Media m : media) {
            if (m.address() != null && !m.address().equals(sessionAddress)) {
                addresses.add(m.address());
            }
        }
        return addresses;
    }
}
