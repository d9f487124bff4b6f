package io.pinhole.proxy.registrar;

import io.pinhole.proxy.sip.Flow;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.message.SIPMessage;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;

/**
 * Turns a parsed REGISTER into the registrar's input, or into the reason it is malformed.
 * JAIN-SIP keeps a header it could not parse as "unrecognized" instead of rejecting the
 * message, so a bad Contact or Expires is caught here rather than silently ignored.
 */
public final class RegisterReader {

    /** The address of record a REGISTER is about. */
    public record Aor(String user, String domain) {
        public String text() {
            return user + "@" + domain;
        }
    }

    /** A REGISTER that cannot be processed: 400 with this reason. */
    public static final class Malformed extends Exception {
        public Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final int MAX_URI = 1024;

    private RegisterReader() {
    }

    public static Aor aor(Request request) throws Malformed {
        rejectUnparsedHeaders(request);
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        URI uri = to.getAddress().getURI();
        if (!(uri instanceof SipURI sip)) {
            throw new Malformed("To must be a sip: or sips: URI");
        }
        if (sip.getUser() == null || sip.getUser().isEmpty()) {
            throw new Malformed("To URI has no user part");
        }
        return new Aor(sip.getUser(), sip.getHost().toLowerCase(Locale.ROOT));
    }

    public static RegisterRequest read(Request request, long userId, Aor aor, Flow flow, Instant now) throws Malformed {
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        if (callId.length() > 512) {
            throw new Malformed("Call-ID too long");
        }
        long cseq = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
        ExpiresHeader expiresHeader = request.getExpires();
        Integer expires = expiresHeader == null ? null : expiresHeader.getExpires();
        if (expires != null && expires < 0) {
            throw new Malformed("Invalid Expires value");
        }
        boolean wildcard = false;
        boolean outbound = supportsOutbound(request);
        List<ContactSpec> contacts = new ArrayList<>();
        Iterator<?> headers = request.getHeaders(ContactHeader.NAME);
        while (headers.hasNext()) {
            Contact contact = (Contact) headers.next();
            if (contact.isWildCard()) {
                if (wildcard) {
                    throw new Malformed("Contact: * appears twice");
                }
                wildcard = true;
                continue;
            }
            contacts.add(contactSpec(contact, outbound));
        }
        var userAgentHeader = request.getHeader("User-Agent");
        String userAgent = userAgentHeader == null ? null
                : ((gov.nist.javax.sip.header.SIPHeader) userAgentHeader).getHeaderValue().trim();
        if (userAgent != null && userAgent.length() > 256) {
            userAgent = userAgent.substring(0, 256);
        }
        return new RegisterRequest(userId, aor.text(), callId, cseq, expires, wildcard, contacts, flow, userAgent, now);
    }

    private static ContactSpec contactSpec(Contact contact, boolean outbound) throws Malformed {
        URI uri = contact.getAddress().getURI();
        if (!(uri instanceof SipURI)) {
            throw new Malformed("Contact must be a sip: or sips: URI");
        }
        String text = uri.toString();
        if (text.length() > MAX_URI) {
            throw new Malformed("Contact URI too long");
        }
        Integer expires = null;
        String expiresParam = contact.getParameter("expires");
        if (expiresParam != null) {
            try {
                long value = Long.parseLong(expiresParam.trim());
                if (value < 0) {
                    throw new Malformed("Invalid expires parameter in Contact");
                }
                expires = (int) Math.min(value, Integer.MAX_VALUE);
            } catch (NumberFormatException e) {
                throw new Malformed("Invalid expires parameter in Contact");
            }
        }
        Float q = null;
        String qParam = contact.getParameter("q");
        if (qParam != null) {
            try {
                q = Float.parseFloat(qParam.trim());
            } catch (NumberFormatException e) {
                throw new Malformed("Invalid q parameter in Contact");
            }
            if (!(q >= 0f && q <= 1f)) {
                throw new Malformed("Invalid q parameter in Contact");
            }
        }
        String instance = contact.getParameter("+sip.instance");
        if (instance != null) {
            instance = stripQuotes(instance.trim());
            if (instance.isEmpty() || instance.length() > 256) {
                throw new Malformed("Invalid +sip.instance in Contact");
            }
        }
        Integer regId = null;
        String regIdParam = contact.getParameter("reg-id");
        // RFC 5626 §6: without "outbound" in Supported (or without an instance) the registrar
        // ignores reg-id: the phone did not ask for outbound, so the flow is not its to keep alive.
        if (regIdParam != null && outbound && instance != null) {
            try {
                regId = Integer.parseInt(regIdParam.trim());
            } catch (NumberFormatException e) {
                throw new Malformed("Invalid reg-id in Contact");
            }
            if (regId < 0) {
                throw new Malformed("Invalid reg-id in Contact");
            }
        }
        return new ContactSpec(text, expires, q, instance, regId);
    }

    /**
     * The request's parsed Contact URI whose text is {@code text} (as {@link #read} put it into its
     * {@link ContactSpec}), or null when none is: what a 200 lists without parsing the text again.
     */
    static URI contactUri(Request request, String text) {
        for (Iterator<?> headers = request.getHeaders(ContactHeader.NAME); headers.hasNext(); ) {
            Contact contact = (Contact) headers.next();
            if (contact.isWildCard() || contact.getAddress() == null) {
                continue;
            }
            URI uri = contact.getAddress().getURI();
            if (uri instanceof SipURI && text.equals(uri.toString())) {
                return uri;
            }
        }
        return null;
    }

    /** Whether the REGISTER lists the {@code outbound} option tag in a Supported header (RFC 5626). */
    static boolean supportsOutbound(Request request) {
        for (Iterator<?> it = request.getHeaders(javax.sip.header.SupportedHeader.NAME); it.hasNext(); ) {
            if ("outbound".equalsIgnoreCase(((javax.sip.header.SupportedHeader) it.next()).getOptionTag().trim())) {
                return true;
            }
        }
        return false;
    }

    private static void rejectUnparsedHeaders(Request request) throws Malformed {
        ListIterator<String> unparsed = ((SIPMessage) request).getUnrecognizedHeaders();
        while (unparsed.hasNext()) {
            String line = unparsed.next();
            int colon = line.indexOf(':');
            String name = (colon < 0 ? line : line.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "contact", "m" -> throw new Malformed("Malformed Contact header");
                case "expires" -> throw new Malformed("Malformed Expires header");
                case "authorization" -> throw new Malformed("Malformed Authorization header");
                default -> {
                }
            }
        }
    }

    private static String stripQuotes(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
