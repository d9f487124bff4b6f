package io.pinhole.proxy.call;

import io.pinhole.proxy.media.SdpParser;
import io.pinhole.proxy.media.SdpSummary;

import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;

/**
 * Whether a new INVITE can be a call at all, before anything is looked up: hops left, a SIP
 * Request-URI and From with users, and an offer we can read. A pure function of the request.
 */
final class InviteCheck {

    private InviteCheck() {
    }

    /** What the check found. */
    sealed interface Verdict permits Valid, Invalid {
    }

    /**
     * @param maxForwards what the INVITE may still travel after us (its Max-Forwards less our hop)
     * @param sdp         the offer, or null when the INVITE has none (offer in the ACK)
     * @param summary     the offer read, or null with no offer
     */
    record Valid(SipURI target, SipURI from, int maxForwards, String sdp, SdpSummary summary) implements Verdict {
    }

    /** The answer the caller gets: a protocol error, not an exception. */
    record Invalid(int status, String reason) implements Verdict {
    }

    static Verdict check(Request request) {
        MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        int hopsLeft = maxForwards == null ? 70 : maxForwards.getMaxForwards();
        if (hopsLeft <= 0) {
            return new Invalid(483, "Too Many Hops");
        }
        if (!(request.getRequestURI() instanceof SipURI target) || target.getUser() == null) {
            return new Invalid(416, "Unsupported URI Scheme");
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        if (!(from.getAddress().getURI() instanceof SipURI fromUri) || fromUri.getUser() == null) {
            return new Invalid(400, "From must be a SIP URI with a user");
        }
        String sdp = CallMessages.sdpOf(request);
        if (sdp == null && request.getRawContent() != null && request.getRawContent().length > 0) {
            return new Invalid(415, "Unsupported Media Type");
        }
        SdpSummary summary = null;
        if (sdp != null) {
            try {
                summary = SdpParser.parse(sdp);
            } catch (SdpParser.InvalidSdp e) {
                return e.wellFormed() ? new Invalid(488, "Not Acceptable Here: " + e.getMessage())
                        : new Invalid(400, "Malformed SDP: " + e.getMessage());
            }
        }
        return new Valid(target, fromUri, hopsLeft - 1, sdp, summary);
    }
}
