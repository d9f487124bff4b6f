package io.pinhole.sip.hep;

import gov.nist.javax.sip.message.SIPMessage;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a capture (HEP, the recent-calls ladder) keeps of a message, without the one secret a SIP
 * message of ours carries in clear: an edge agent's login token ({@code token=} in its
 * {@value #HEADER} header, a bearer secret, unlike a digest response). A capture server or an
 * admin reading the ladder sees {@code token=redacted}.
 *
 * <p>Every captured message passes here, so the common case costs one header lookup.
 */
public final class SecretRedaction {

    static final String HEADER = "Pinhole-Edge";
    private static final Pattern TOKEN = Pattern.compile("(?i)(;\\s*token\\s*=\\s*)[^;,\\r\\n]*");

    private SecretRedaction() {
    }

    /** The message as text, its edge token (if any) replaced. */
    public static String encode(SIPMessage message) {
        String text = message.encode();
        return carriesToken(message) ? redact(text) : text;
    }

    /** The message as bytes for {@code transport}, its edge token (if any) replaced. */
    public static byte[] encodeAsBytes(SIPMessage message, String transport) {
        byte[] bytes = message.encodeAsBytes(transport);
        if (!carriesToken(message)) {
            return bytes;
        }
        // the header block is ASCII and the body is kept byte for byte: only the head is rewritten
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return redact(text).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean carriesToken(SIPMessage message) {
        var header = message.getHeader(HEADER);
        return header != null && header.toString().toLowerCase(java.util.Locale.ROOT).contains("token");
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
