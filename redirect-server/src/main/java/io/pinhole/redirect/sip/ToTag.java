package io.pinhole.redirect.sip;

import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * The To tag of a stateless answer. RFC 3261 8.2.7 wants the same tag for every retransmission
 * of a request, and 9.2 the same tag on the 200 for a CANCEL as on the answer to its INVITE; a
 * server without state gets both by deriving the tag from what those messages share (Call-ID,
 * From tag, CSeq number, top Via branch) and from nothing else, the method included.
 */
final class ToTag {

    private final long salt;

    /** @param salt per-server value so two servers do not answer one request with one tag */
    ToTag(long salt) {
        this.salt = salt;
    }

    String of(Request request) {
        long h = salt;
        h = mix(h, ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId());
        h = mix(h, ((FromHeader) request.getHeader(FromHeader.NAME)).getTag());
        h = mix(h, Long.toString(((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber()));
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        h = mix(h, via == null ? null : via.getBranch());
        return Long.toHexString(finish(h));
    }

    private static long mix(long h, String s) {
        if (s == null) {
            return h * 31;
        }
        for (int i = 0; i < s.length(); i++) {
            h = h * 1099511628211L ^ s.charAt(i);
        }
        return h * 31 + s.length();
    }

    // splitmix64 finaliser: spreads the bits so tags of similar requests differ everywhere
    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
