package io.pinhole.sip.hep;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;

import java.nio.charset.StandardCharsets;
import java.util.ListIterator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a capture (HEP, the recent-calls ladder) keeps of a message, without the one secret a SIP
 * message of ours carries in clear: an edge agent's login token ({@code token=} in its
 * {@value #HEADER} header, a bearer secret, unlike a digest response). A capture server or an
 * admin reading the ladder sees {@code token=redacted}.
 *
 * <p>Every captured message passes here, so the common case costs one header lookup ({@link #wire}:
 * the bytes already sent or received are kept, not formatted again).
 */
public final class SecretRedaction {

    static final String HEADER = "Pinhole-Edge";
    private static final Pattern TOKEN = Pattern.compile("(?i)(;\\s*token\\s*=\\s*)[^;,\\r\\n]*");

    private SecretRedaction() {
    }

    /**
     * What a capture keeps of a message the stack received ({@code sent} false) or sent: the bytes
     * as they were on the wire when this thread has them ({@link WireBytes}: UDP), else the message
     * encoded. A message with an edge token is encoded from the parsed message and redacted, as
     * before: on the wire its header might be folded over lines the redaction does not read. Not
     * a copy: the stack's own array (never written again), so the caller must not write to it.
     */
    public static byte[] wire(SIPMessage message, boolean sent) {
        if (carriesToken(message)) {
            // the header block is ASCII and the body is kept byte for byte: only the head is rewritten
            return redact(new String(encoded(message), StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        }
        byte[] bytes = WireBytes.of(message, sent);
        return bytes != null ? bytes : encoded(message);
    }

    /** The message formatted for the transport of its top Via, as the stack sends it. */
    private static byte[] encoded(SIPMessage message) {
        Via via = message.getTopmostVia();
        return via == null || via.getTransport() == null
                ? message.encode().getBytes(StandardCharsets.UTF_8)
                : message.encodeAsBytes(via.getTransport());
    }

    /** Whether any of its {@value #HEADER} headers (usually none: one lookup) mentions a token. */
    private static boolean carriesToken(SIPMessage message) {
        if (message.getHeader(HEADER) == null) {
            return false;
        }
        ListIterator<SIPHeader> headers = message.getHeaders(HEADER);
        while (headers != null && headers.hasNext()) {
            if (headers.next().toString().toLowerCase(Locale.ROOT).contains("token")) {
                return true;
            }
        }
        return false;
    }

    static String redact(String text) {
        int headEnd = text.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        StringBuilder out = new StringBuilder(text.length());
        for (String line : head.split("\r\n", -1)) {
            if (out.length() > 0) {
                out.append("\r\n");
            }
            if (line.regionMatches(true, 0, HEADER, 0, HEADER.length())) {
                Matcher m = TOKEN.matcher(line);
                out.append(m.replaceAll("$1redacted"));
            } else {
                out.append(line);
            }
        }
        return headEnd < 0 ? out.toString() : out.append(text, headEnd, text.length()).toString();
    }
}
