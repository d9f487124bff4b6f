package io.pinhole.wire.sdp;

/**
 * What {@link SdpParser} insists on. The proxy and the relay read SDP for different jobs and have
 * always differed in how much they forgive; the differences are named here instead of living in
 * two parsers. What both refuse the same way: a body without {@code v=}, a line that is not
 * {@code x=...}, a short {@code m=} or {@code c=} line, a port outside 0-65535, and a {@code c=}
 * address that is not an IP literal of its type (a host name is never resolved: {@link
 * SdpProblem#HOST_NAME}, which the proxy answers with 488 and the relay with an ng error).
 *
 * @param lenient                      lines are trimmed, fields split at runs of spaces, {@code IP4}/{@code IP6}
 *                                     in any case, a {@code c=} address may be bracketed or an IPv4-mapped IPv6
 *                                     literal under {@code IP4}, and {@code a=} lines are not checked; otherwise one
 *                                     space between fields, exact case, and a malformed {@code a=rtcp} port fails
 * @param strictHeader                 the body starts with exactly {@code v=0} and has an {@code o=} line;
 *                                     otherwise any {@code v=} line first will do
 * @param maxMedia                     the most {@code m=} lines a body may have
 * @param disabledMediaNeedsConnection a stream with port 0 needs a {@code c=} address too
 */
public record SdpRules(boolean lenient, boolean strictHeader, int maxMedia, boolean disabledMediaNeedsConnection) {

    /** The proxy's check of a SIP body before it decides the media path: forgiving in form, strict in content. */
    public static final SdpRules SIGNALLING = new SdpRules(true, true, 16, false);

    /** The relay's reading of an ng offer or answer: exact form, every stream addressed. */
    public static final SdpRules RELAY = new SdpRules(false, false, Integer.MAX_VALUE, true);

    public SdpRules {
        if (maxMedia < 1) {
            throw new IllegalArgumentException("maxMedia must be at least 1, not " + maxMedia);
        }
    }
}
