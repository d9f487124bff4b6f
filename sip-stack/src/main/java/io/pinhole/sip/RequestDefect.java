package io.pinhole.sip;

import gov.nist.javax.sip.message.SIPRequest;

/**
 * Why a request the RI parsed is nevertheless invalid (RFC 3261's grammar is stricter than the
 * RI's parser: a request line with extra spaces, two To headers, an unquoted display name with
 * a comma). {@link ReadableParseErrors} attaches it to the parsed request as its application
 * data, so the request still reaches the listener with its transport-normalised Via and is
 * answered there ({@code status}: 400, or 505 for a SIP version other than 2.0), over whichever
 * transport it came, instead of being served.
 */
public record RequestDefect(int status, String reason) {

    /** The defect found in a received request, or null. */
    public static RequestDefect of(javax.sip.message.Request request) {
        return request instanceof SIPRequest sip && sip.getApplicationData() instanceof RequestDefect defect ? defect : null;
    }
}
