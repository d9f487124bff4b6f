package io.pinhole.redirect.sip;

import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;

/**
 * Checks what the stack's parser lets through but RFC 3261 forbids (8.1.1, 8.2.1-8.2.2), in the
 * order a UAS is told to: a message the parser could not read at all is answered 400 by the
 * stack itself before it gets here.
 */
final class RequestValidator {

    /** Null when the request may be routed. */
    Rejection check(Request request) {
        if (!"SIP/2.0".equalsIgnoreCase(request.getSIPVersion())) {
            return new Rejection(505, "Version Not Supported", List.of());
        }
        for (String name : new String[] {"Via", "From", "To", "Call-ID", "CSeq"}) {
            if (request.getHeader(name) == null) {
                return Rejection.badRequest("Missing " + name);
            }
        }
        if (request.getHeader("Max-Forwards") == null) {
            return Rejection.badRequest("Missing Max-Forwards");
        }
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        if (!request.getMethod().equals(cseq.getMethod())) {
            return Rejection.badRequest("CSeq method does not match request method");
        }
        URI uri = request.getRequestURI();
        if (uri == null) {
            return Rejection.badRequest("Missing Request-URI");
        }
        if (!(uri instanceof SipURI) && !(uri instanceof TelURL)) {
            return new Rejection(416, "Unsupported URI Scheme", List.of());
        }
        if (uri instanceof SipURI sip && (sip.getHost() == null || sip.getHost().isEmpty())) {
            return Rejection.badRequest("Request-URI without host");
        }
        String method = request.getMethod();
        if (!Request.ACK.equals(method) && !Request.CANCEL.equals(method)) {
            List<String> required = required(request);
            if (!required.isEmpty()) {
                return new Rejection(420, "Bad Extension", required);
            }
        }
        return null;
    }

    /** In-dialog requests are for a dialog this server never has (it keeps none). */
    static boolean isInDialog(Request request) {
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        return to != null && to.getTag() != null && !to.getTag().isEmpty();
    }

    /** The redirect server supports no extension, so every Require option-tag is unsupported. */
    private static List<String> required(Request request) {
        ListIterator<?> headers = request.getHeaders(RequireHeader.NAME);
        List<String> tags = new ArrayList<>();
        while (headers != null && headers.hasNext()) {
            tags.add(((RequireHeader) headers.next()).getOptionTag());
        }
        return tags;
    }
}
