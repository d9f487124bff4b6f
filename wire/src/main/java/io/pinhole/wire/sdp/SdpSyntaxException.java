package io.pinhole.wire.sdp;

/**
 * An SDP body {@link SdpParser} refused: the problem, the line it is in (as written, or null for
 * a problem of the whole body), and the 0-based stream it concerns (or -1).
 */
public final class SdpSyntaxException extends Exception {

    private final SdpProblem problem;
    private final String line;
    private final int mediaIndex;
    private final String detail;

    SdpSyntaxException(SdpProblem problem, String line, int mediaIndex, String detail) {
        super(problem + (line == null ? "" : " in '" + line + "'"), null, false, false);
        this.problem = problem;
        this.line = line;
        this.mediaIndex = mediaIndex;
        this.detail = detail;
    }

    public SdpProblem problem() {
        return problem;
    }

    /** The offending line as written (trimmed under {@link SdpRules#lenient()}), or null. */
    public String line() {
        return line;
    }

    /** The 0-based index of the stream concerned, or -1. */
    public int mediaIndex() {
        return mediaIndex;
    }

    /** The offending field where one is named (the address type of {@link SdpProblem#UNKNOWN_ADDRESS_TYPE}), or null. */
    public String detail() {
        return detail;
    }
}
