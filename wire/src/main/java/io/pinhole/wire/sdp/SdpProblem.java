package io.pinhole.wire.sdp;

/** Why {@link SdpParser} refused a body; each side turns it into its own words (SIP reason phrase, ng error). */
public enum SdpProblem {
    /** No body, or only white space. */
    EMPTY,
    /** The first line is not {@code v=} ({@code v=0} under {@link SdpRules#strictHeader()}). */
    NO_VERSION,
    /** A line that is not {@code <letter>=<value>}. */
    BAD_LINE,
    /** No {@code o=} line (only under {@link SdpRules#strictHeader()}). */
    NO_ORIGIN,
    /** More {@code m=} lines than {@link SdpRules#maxMedia()}. */
    TOO_MANY_MEDIA,
    /** An {@code m=} line with fewer than four fields. */
    BAD_MEDIA_LINE,
    /** A port (of {@code m=} or {@code a=rtcp}) that is not a number. */
    PORT_NOT_A_NUMBER,
    /** A port outside 0-65535. */
    PORT_OUT_OF_RANGE,
    /** A {@code c=} line that is not {@code IN <type> <address>}. */
    BAD_CONNECTION_LINE,
    /** A {@code c=} address type other than IP4 or IP6. */
    UNKNOWN_ADDRESS_TYPE,
    /** A {@code c=} address that is neither an IP literal nor a host name (e.g. {@code 300.1.1.1}). */
    INVALID_ADDRESS,
    /** A host name in {@code c=}: legal SDP, but names are not resolved on the signalling or control path. */
    HOST_NAME,
    /** A {@code c=} literal of the other family than its type says. */
    ADDRESS_TYPE_MISMATCH,
    /** A stream with no {@code c=} address, neither its own nor the session's. */
    NO_CONNECTION
}
