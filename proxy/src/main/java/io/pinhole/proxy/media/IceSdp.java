package io.pinhole.proxy.media;

/** What the proxy reads of ICE in an SDP body (RFC 8839 attributes). Pure functions. */
public final class IceSdp {

    private IceSdp() {
    }

    /** Whether the phone that wrote {@code sdp} speaks ICE: it gave credentials or candidates. */
    public static boolean offersIce(String sdp) {
        if (sdp == null) {
            return false;
        }
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=ice-ufrag:") || line.startsWith("a=candidate:")) {
                return true;
            }
        }
        return false;
    }

    /** An ICE attribute line, at session or media level. */
    public static boolean isIce(String line) {
        return line.startsWith("a=candidate:") || line.startsWith("a=ice-ufrag:") || line.startsWith("a=ice-pwd:")
                || line.startsWith("a=ice-options:") || line.equals("a=ice-lite") || line.equals("a=end-of-candidates")
                || line.startsWith("a=remote-candidates:") || line.equals("a=ice-mismatch");
    }
}
