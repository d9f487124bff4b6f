package io.pinhole.sip;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parts of RFC 3261's request grammar the RI's parser lets through (RFC 4475 3.1.2):
 * a Request-Line with more than one SP between its elements or spaces after the version
 * (3.1.2.9, 3.1.2.10), a header that may appear once appearing twice (3.3.8, 3.3.9), and a
 * From or To whose display name is not a quoted string nor tokens, or whose URI has spaces
 * inside its angle brackets (3.1.2.14, 3.1.2.15). Works on the raw text, before the RI
 * forgives any of it; returns one readable reason, or null for a request that is fine.
 */
final class RequestSyntax {

    /** Header fields a request carries at most once (RFC 3261 7.3.1), long and compact names. */
    private static final Map<String, String> SINGLE = Map.ofEntries(
            Map.entry("to", "To"), Map.entry("t", "To"), Map.entry("from", "From"), Map.entry("f", "From"),
            Map.entry("call-id", "Call-ID"), Map.entry("i", "Call-ID"), Map.entry("cseq", "CSeq"),
            Map.entry("max-forwards", "Max-Forwards"), Map.entry("content-length", "Content-Length"),
            Map.entry("l", "Content-Length"), Map.entry("content-type", "Content-Type"), Map.entry("c", "Content-Type"));
    /** The longest name in {@link #SINGLE}: longer names are not looked up (no String made for them). */
    private static final int LONGEST_SINGLE = "content-length".length();

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

    /*
     * Every request passes through here before the RI parses it, so this scans the bytes once and
     * makes Strings only for the few header names it looks up and for From/To values: a regex over
     * a String copy of the whole message cost about a twelfth of the proxy's CPU per REGISTER.
     */
    private static String syntaxDefect(byte[] message) {
        int lineEnd = lineEnd(message, 0);
        String version = requestLineVersion(message, lineEnd);
        if (version == null) {
            return "Request-Line is not Method SP Request-URI SP SIP-Version";
        }
        if (!version.equals("SIP/2.0")) {
            return VERSION + version;
        }
        Set<String> seen = null;
        int start = next(message, lineEnd);
        while (start < message.length && !isLineEnd(message, start)) {
            int end = lineEnd(message, start);
            while (isFolded(message, end)) { // a header value continues on lines that start with SP or HT
                end = lineEnd(message, next(message, end));
            }
            String single = singleHeader(message, start, end);
            if (single != null) {
                if (seen == null) {
                    seen = new HashSet<>();
                }
                if (!seen.add(single)) {
                    return "more than one " + single + " header";
                }
                if (single.equals("To") || single.equals("From")) {
                    String problem = nameAddrDefect(unfoldedValue(message, start, end));
                    if (problem != null) {
                        return single + " header: " + problem;
                    }
                }
            }
            start = next(message, end);
        }
        return null;
    }

    /** Where the line from {@code from} ends: at its CRLF or LF, or at the end of the message. */
    private static int lineEnd(byte[] m, int from) {
        int i = from;
        while (i < m.length && !isLineEnd(m, i)) {
            i++;
        }
        return i;
    }

    private static boolean isLineEnd(byte[] m, int i) {
        return m[i] == '\n' || (m[i] == '\r' && i + 1 < m.length && m[i + 1] == '\n');
    }

    /** The first byte after the line end at {@code end}. */
    private static int next(byte[] m, int end) {
        if (end >= m.length) {
            return end;
        }
        return m[end] == '\r' ? end + 2 : end + 1;
    }

    private static boolean isFolded(byte[] m, int end) {
        int n = next(m, end);
        return end < m.length && n < m.length && (m[n] == ' ' || m[n] == '\t');
    }

    /** Method SP Request-URI SP SIP-Version, one SP each, nothing after: the version, else null. */
    private static String requestLineVersion(byte[] m, int end) {
        int i = 0;
        while (i < end && isTokenChar((char) (m[i] & 0xff))) {
            i++;
        }
        if (i == 0 || i >= end || m[i] != ' ') {
            return null;
        }
        int uri = ++i;
        while (i < end && m[i] != ' ' && m[i] != '\t') {
            i++;
        }
        if (i == uri || i >= end || m[i] != ' ') {
            return null;
        }
        int version = ++i;
        if (end - i < 4 || m[i] != 'S' || m[i + 1] != 'I' || m[i + 2] != 'P' || m[i + 3] != '/') {
            return null;
        }
        i = digits(m, i + 4, end);
        if (i < 0 || i >= end || m[i] != '.') {
            return null;
        }
        i = digits(m, i + 1, end);
        if (i != end) {
            return null;
        }
        return new String(m, version, end - version, StandardCharsets.ISO_8859_1);
    }

    /** The index after one or more ASCII digits from {@code from}, or -1 when there is none. */
    private static int digits(byte[] m, int from, int end) {
        int i = from;
        while (i < end && m[i] >= '0' && m[i] <= '9') {
            i++;
        }
        return i == from ? -1 : i;
    }

    /** The canonical name of a header that may appear once, or null for any other header or a line without a name. */
    private static String singleHeader(byte[] m, int start, int end) {
        int colon = start;
        while (colon < end && m[colon] != ':') {
            colon++;
        }
        if (colon == start || colon == end) {
            return null;
        }
        int from = start;
        int to = colon;
        while (from < to && Character.isWhitespace((char) (m[from] & 0xff))) {
            from++;
        }
        while (to > from && Character.isWhitespace((char) (m[to - 1] & 0xff))) {
            to--;
        }
        if (to - from > LONGEST_SINGLE) {
            return null;
        }
        return SINGLE.get(new String(m, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
    }

    /** The value after the first colon, each line end with the SP/HT run after it made one SP. */
    private static String unfoldedValue(byte[] m, int start, int end) {
        int i = start;
        while (m[i] != ':') {
            i++;
        }
        StringBuilder value = new StringBuilder(end - i);
        for (i++; i < end; i++) {
            if (isLineEnd(m, i)) {
                value.append(' ');
                i = next(m, i);
                while (i < end && (m[i] == ' ' || m[i] == '\t')) {
                    i++;
                }
                i--;
            } else {
                value.append((char) (m[i] & 0xff));
            }
        }
        return value.toString();
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
