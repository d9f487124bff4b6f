package io.pinhole.edge.media;

/** The agent's LAN media ports: RTP on even ports, RTCP on the next odd one. */
public record PortRange(int min, int max) {

    public PortRange {
        if (min < 1024 || max > 65535 || max - min < 3) {
            throw new IllegalArgumentException("--media-ports must be a range of at least 4 ports in 1024-65535, not "
                    + min + "-" + max);
        }
    }

    public static PortRange parse(String text) {
        String[] parts = text.split("-");
        try {
            if (parts.length == 2) {
                return new PortRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--media-ports must be MIN-MAX, not " + text);
    }
}
