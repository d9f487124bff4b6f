package io.pinhole.proxy.media;

/**
 * The SDP towards a leg whose media goes over a relay stream connection: one session-level
 * attribute, before the first m= line, tells its edge agent where to connect and with which
 * token:
 * <pre>
 * a=pinhole-media:&lt;tcp|tls|http&gt; &lt;port&gt; &lt;token&gt;
 * </pre>
 * The host is the SDP's session c= address (the relay's). Every other leg's SDP is left as it is.
 * Pure functions over the SDP text.
 */
public final class EdgeSdp {

    public static final String ATTRIBUTE = "pinhole-media";

    private EdgeSdp() {
    }

    /**
     * {@code sdp} for the leg planned {@code leg}: with the attribute when the leg's transport is a
     * stream and the relay granted it one on a port it serves, else unchanged (null stays null).
     */
    public static String towards(String sdp, LegPlan leg, StreamGrant grant) {
        if (sdp == null || leg == null || !leg.transport().stream() || grant == null) {
            return sdp;
        }
        int port = grant.port(leg.transport());
        return port == 0 ? sdp : withAttribute(sdp, leg.transport(), port, grant.token());
    }

    /** {@code sdp} with exactly one {@code a=pinhole-media} line, before the first m= line (at the end without one). */
    static String withAttribute(String sdp, MediaTransport transport, int port, String token) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        String line = "a=" + ATTRIBUTE + ":" + transport.wire() + " " + port + " " + token + eol;
        StringBuilder out = new StringBuilder(sdp.length() + line.length());
        boolean placed = false;
        for (String l : sdp.split("\r?\n", -1)) {
            if (l.isEmpty()) {
                continue;
            }
            if (l.startsWith("a=" + ATTRIBUTE + ":")) {
                continue; // an earlier grant (a re-offer's SDP built from ours): replaced, never doubled
            }
            if (!placed && l.startsWith("m=")) {
                out.append(line);
                placed = true;
            }
            out.append(l).append(eol);
        }
        if (!placed) {
            out.append(line);
        }
        return out.toString();
    }
}
