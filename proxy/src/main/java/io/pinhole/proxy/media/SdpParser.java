package io.pinhole.proxy.media;

import io.pinhole.wire.sdp.MediaDescription;
import io.pinhole.wire.sdp.SdpDescription;
import io.pinhole.wire.sdp.SdpRules;
import io.pinhole.wire.sdp.SdpSyntaxException;

import java.util.ArrayList;
import java.util.List;

/** Checks an SDP body (RFC 4566) and summarises it; rejects what a relay could not work with. */
public final class SdpParser {

    /** An SDP that cannot be used, with the reason for the 400/488 reason phrase. */
    public static final class InvalidSdp extends Exception {
        private final boolean wellFormed;

        public InvalidSdp(String reason) {
            this(reason, false);
        }

        private InvalidSdp(String reason, boolean wellFormed) {
            super(reason, null, false, false);
            this.wellFormed = wellFormed;
        }

        /** Legal SDP that Pinhole does not take (488 Not Acceptable Here rather than 400). */
        static InvalidSdp notAcceptable(String reason) {
            return new InvalidSdp(reason, true);
        }

        public boolean wellFormed() {
            return wellFormed;
        }
    }

    private SdpParser() {
    }

    /**
     * Reads the body with the shared parser ({@link io.pinhole.wire.sdp.SdpParser}) under
     * {@link SdpRules#SIGNALLING}; a refusal becomes the reason phrase of a 400, or of a 488 for
     * legal SDP Pinhole does not take (a host name in c=).
     */
    public static SdpSummary parse(String body) throws InvalidSdp {
        SdpDescription parsed;
        try {
            parsed = io.pinhole.wire.sdp.SdpParser.parse(body, SdpRules.SIGNALLING);
        } catch (SdpSyntaxException e) {
            throw refusal(e);
        }
        List<SdpSummary.Media> media = new ArrayList<>(parsed.media().size());
        for (MediaDescription m : parsed.media()) {
            media.add(new SdpSummary.Media(m.type(), m.port(), m.connection() == null ? null : m.connection().text()));
        }
        return new SdpSummary(parsed.connection() == null ? null : parsed.connection().text(), media);
    }

    private static InvalidSdp refusal(SdpSyntaxException e) {
        return switch (e.problem()) {
            case EMPTY -> new InvalidSdp("empty SDP");
            case NO_VERSION -> new InvalidSdp("SDP must start with v=0");
            case BAD_LINE -> new InvalidSdp("malformed SDP line");
            case NO_ORIGIN -> new InvalidSdp("SDP has no o= line");
            case TOO_MANY_MEDIA -> new InvalidSdp("too many media lines");
            case BAD_MEDIA_LINE -> new InvalidSdp("malformed m= line");
            case PORT_OUT_OF_RANGE -> new InvalidSdp("media port out of range");
            case PORT_NOT_A_NUMBER -> new InvalidSdp("media port is not a number");
            case BAD_CONNECTION_LINE -> new InvalidSdp("malformed c= line");
            case UNKNOWN_ADDRESS_TYPE -> new InvalidSdp("unknown address type " + e.detail());
            case INVALID_ADDRESS -> new InvalidSdp("invalid address in c= line");
            // A host name in c= is legal SDP, but the relay (like rtpengine) takes IP literals only, and
            // resolving it here would put DNS on the signalling path: refused up front for every call,
            // relayed or not, instead of a 503 from the relay for some of them.
            case HOST_NAME -> InvalidSdp.notAcceptable("host name in c= line, an IP address is required");
            case ADDRESS_TYPE_MISMATCH -> new InvalidSdp("c= address does not match its type");
            case NO_CONNECTION -> new InvalidSdp("media without a connection address");
        };
    }
}
