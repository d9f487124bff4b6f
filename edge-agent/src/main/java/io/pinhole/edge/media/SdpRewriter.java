package io.pinhole.edge.media;

import java.util.List;

/**
 * Rewrites an SDP body to name the agent's own address and ports (the media anchor): every c=
 * address becomes {@code host}, every enabled m= line's port the agent's port for that stream,
 * a=rtcp follows (port + 1), and what the phone must not see goes: the proxy's
 * {@code a=pinhole-media} and ICE candidates (they name addresses the phone cannot reach).
 * Pure: text in, text out.
 */
public final class SdpRewriter {

    private SdpRewriter() {
    }

    /**
     * @param ports the agent's RTP port per m= line (RTCP on port + 1); a disabled stream (port 0) stays 0
     */
    public static String rewrite(String sdp, String host, List<Integer> ports) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        String family = host.contains(":") ? "IP6" : "IP4";
        StringBuilder out = new StringBuilder(sdp.length());
        int media = -1;
        boolean disabled = false;
        for (String line : sdp.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("m=")) {
                media++;
                String[] parts = line.substring(2).split(" ", 3);
                disabled = parts.length > 1 && "0".equals(parts[1]);
                if (!disabled && media < ports.size() && parts.length == 3) {
                    String[] portAndCount = parts[1].split("/", 2);
                    String port = Integer.toString(ports.get(media));
                    line = "m=" + parts[0] + " " + (portAndCount.length == 2 ? port + "/" + portAndCount[1] : port)
                            + " " + parts[2];
                }
            } else if (line.startsWith("c=")) {
                line = "c=IN " + family + " " + host;
            } else if (line.startsWith("a=rtcp:") && !disabled && media >= 0 && media < ports.size()) {
                line = "a=rtcp:" + (ports.get(media) + 1) + " IN " + family + " " + host;
            } else if (line.startsWith(PinholeMedia.ATTRIBUTE) || line.startsWith("a=candidate:")
                    || line.startsWith("a=end-of-candidates") || line.startsWith("a=ice-")
                    || line.startsWith("a=remote-candidates:")) {
                continue;
            }
            out.append(line).append(eol);
        }
        return out.toString();
    }
}
