package io.pinhole.relay.sdp;

import io.pinhole.wire.sdp.MediaDescription;
import io.pinhole.wire.sdp.SdpDescription;
import io.pinhole.wire.sdp.SdpRules;
import io.pinhole.wire.sdp.SdpSyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Extracts the media facts from an SDP body, rejecting what cannot be relayed. Pure function over
 * the shared parser ({@link io.pinhole.wire.sdp.SdpParser}, {@link SdpRules#RELAY}): this adds the
 * relay's reading of directions and payload types, and words refusals as ng error reasons.
 */
public final class SdpParser {

    private SdpParser() {
    }

    public static SessionDescription parse(String sdp) throws SdpException {
        SdpDescription parsed;
        try {
            parsed = io.pinhole.wire.sdp.SdpParser.parse(sdp, SdpRules.RELAY);
        } catch (SdpSyntaxException e) {
            throw new SdpException(reason(e));
        }
        Direction sessionDirection = direction(parsed.attributes(), Direction.SENDRECV);
        List<SdpMedia> out = new ArrayList<>(parsed.media().size());
        for (MediaDescription m : parsed.media()) {
            PayloadTypes formats = PayloadTypes.NONE;
            for (String format : m.formats()) {
                formats = formats.with(payloadType(format));
            }
            out.add(new SdpMedia(m.index(), m.type(), m.port(), m.protocol(), m.connection().address(),
                    direction(m.attributes(), sessionDirection), m.rtcpPort(), m.has("a=rtcp-mux"), formats));
        }
        return new SessionDescription(List.copyOf(out));
    }

    /** The last direction attribute among {@code attributes}, else {@code otherwise}. */
    private static Direction direction(List<String> attributes, Direction otherwise) {
        Direction direction = otherwise;
        for (String line : attributes) {
            Direction d = Direction.ofAttribute(line);
            if (d != null) {
                direction = d;
            }
        }
        return direction;
    }

    /** A format token as an RTP payload type, or -1 when it is not one (e.g. {@code t38}, {@code *}). */
    private static int payloadType(String token) {
        if (token.isEmpty() || token.length() > 3) {
            return -1;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return -1;
            }
        }
        int value = Integer.parseInt(token);
        return value <= 127 ? value : -1;
    }

    /** The ng error reason, as rtpengine words it ("Failed to parse SDP" first). */
    private static String reason(SdpSyntaxException e) {
        String line = e.line() == null ? "" : abbreviate(e.line());
        return "Failed to parse SDP: " + switch (e.problem()) {
            case EMPTY, NO_VERSION -> "no v= line";
            case BAD_LINE -> "bad line '" + line + "'";
            case BAD_MEDIA_LINE -> "bad m= line '" + line + "'";
            case PORT_NOT_A_NUMBER, PORT_OUT_OF_RANGE -> "bad port in '" + line + "'";
            case BAD_CONNECTION_LINE -> "bad c= line '" + line + "'";
            case UNKNOWN_ADDRESS_TYPE, INVALID_ADDRESS, HOST_NAME, ADDRESS_TYPE_MISMATCH ->
                    "unsupported address in '" + line + "'";
            case NO_CONNECTION -> "no c= line for media " + (e.mediaIndex() + 1);
            case NO_ORIGIN, TOO_MANY_MEDIA -> e.problem().name().toLowerCase(java.util.Locale.ROOT); // not under RELAY rules
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
