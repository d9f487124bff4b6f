package io.pinhole.sip;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of RFC 3261's request grammar the RI's parser lets through (RFC 4475 3.1.2):
 * a Request-Line with more than one SP between its elements or spaces after the version
 * (3.1.2.9, 3.1.2.10), a header that may appear once appearing twice (3.3.8, 3.3.9), and a
 * From or To whose display name is not a quoted string nor tokens, or whose URI has spaces
 * inside its angle brackets (3.1.2.14, 3.1.2.15). Works on the raw text, before the RI
 * forgives any of it; returns one readable reason, or null for a request that is fine.
 */
final class RequestSyntax {

    private static final Pattern REQUEST_LINE = Pattern.compile(
            "[A-Za-z0-9.!%*_+`'~-]+ [^ \\t]+ (SIP/[0-9]+\\.[0-9]+)");
    private static final Pattern FOLD = Pattern.compile("\n[ \t]+");
    /** Header fields a request carries at most once (RFC 3261 7.3.1), long and compact names. */
    private static final Map<String, String> SINGLE = Map.ofEntries(
            Map.entry("to", "To"), Map.entry("t", "To"), Map.entry("from", "From"), Map.entry("f", "From"),
            Map.entry("call-id", "Call-ID"), Map.entry("i", "Call-ID"), Map.entry("cseq", "CSeq"),
            Map.entry("max-forwards", "Max-Forwards"), Map.entry("content-length", "Content-Length"),
            Map.entry("l", "Content-Length"), Map.entry("content-type", "Content-Type"), Map.entry("c", "Content-Type"));

    private static final String VERSION = "SIP version not supported: ";

    private RequestSyntax() {
    }

    /**
     * The first defect of a request's start line and header fields, or null. Lines may end in
     * CRLF (a datagram) or LF alone (the RI's TCP reader hands the parser its header lines so).
     */
    static RequestDefect defect(byte[] message) {
        String reason = syntaxDefect(message);
        if (reason == null) {
            return null;
        }
        return new RequestDefect(reason.startsWith(VERSION) ? 505 : 400, reason);
    }

    private static String syntaxDefect(byte[] message) {
        String text = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        int headEnd = text.indexOf("\n\n");
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        int lineEnd = head.indexOf('\n');
        String requestLine = lineEnd < 0 ? head : head.substring(0, lineEnd);
        java.util.regex.Matcher line = REQUEST_LINE.matcher(requestLine);
        if (!line.matches()) {
            return "Request-Line is not Method SP Request-URI SP SIP-Version";
        }
        if (!line.group(1).equals("SIP/2.0")) {
            return VERSION + line.group(1);
        }
        if (lineEnd < 0) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        for (String header : FOLD.matcher(head.substring(lineEnd + 1)).replaceAll(" ").split("\n")) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String single = SINGLE.get(name);
            if (single == null) {
                continue;
            }
            if (!seen.add(single)) {
                return "more than one " + single + " header";
            }
            if (single.equals("To") || single.equals("From")) {
                String problem = nameAddrDefect(header.substring(colon + 1));
                if (problem != null) {
                    return single + " header: " + problem;
                }
            }
        }
        return null;
    }

    /** What is wrong with a From/To value in name-addr form (RFC 3261 25.1), or null. */
    static String nameAddrDefect(String value) {
        int i = skipSpace(value, 0);
        int open;
        if (i < value.length() && value.charAt(i) == '"') {
            int j = i + 1;
            while (j < value.length() && value.charAt(j) != '"') {
                j += value.charAt(j) == '\\' ? 2 : 1;
            }
            if (j >= value.length()) {
                return "unterminated quoted display name";
            }
            open = skipSpace(value, j + 1);
            if (open >= value.length() || value.charAt(open) != '<') {
                return "quoted display name not followed by <URI>";
            }
        } else {
            open = value.indexOf('<');
            if (open < 0) {
                return null; // addr-spec form
            }
            for (int k = i; k < open; k++) {
                char c = value.charAt(k);
                if (c != ' ' && c != '\t' && !isTokenChar(c)) {
                    return "display name with '" + c + "' must be quoted";
                }
            }
        }
        int close = value.indexOf('>', open);
        if (close < 0) {
            return "< without >";
        }
        if (close == open + 1 || Character.isWhitespace(value.charAt(open + 1))
                || Character.isWhitespace(value.charAt(close - 1))) {
            return "spaces inside <>";
        }
        return null;
    }

    private static int skipSpace(String value, int from) {
        int i = from;
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isTokenChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || "-.!%*_+`'~".indexOf(c) >= 0);
    }
}
