package io.pinhole.sip;

import java.nio.charset.StandardCharsets;

/**
 * The parts of RFC 3261's request grammar the RI's parser lets through (RFC 4475 3.1.2):
 * a Request-Line with more than one SP between its elements or spaces after the version
 * (3.1.2.9, 3.1.2.10), a header that may appear once appearing twice (3.3.8, 3.3.9), and a
 * From or To whose display name is not a quoted string nor tokens, or whose URI has spaces
 * inside its angle brackets (3.1.2.14, 3.1.2.15). Works on the raw text, before the RI
 * forgives any of it; returns one readable reason, or null for a request that is fine.
 */
final class RequestSyntax {

    /**
     * Header fields a request carries at most once (RFC 3261 7.3.1), long and compact names, and
     * the canonical name of each: index i of NAMES is reported as CANONICAL[i]. One bit per
     * canonical name records which were seen, so no String is made for a header name.
     */
    private static final String[] NAMES = {"to", "t", "from", "f", "call-id", "i", "cseq", "max-forwards",
            "content-length", "l", "content-type", "c"};
    private static final String[] CANONICAL = {"To", "To", "From", "From", "Call-ID", "Call-ID", "CSeq",
            "Max-Forwards", "Content-Length", "Content-Length", "Content-Type", "Content-Type"};
    /** The bit of each of NAMES' canonical name in the set of names seen. */
    private static final int[] BIT = {0, 0, 1, 1, 2, 2, 3, 4, 5, 5, 6, 6};
    /** The longest name in {@link #NAMES}: longer names are not compared. */
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
     * makes no String for a request that is fine (header names are compared as bytes, From and To
     * read through a view of the bytes): a regex over a String copy of the whole message cost
     * about a twelfth of the proxy's CPU per REGISTER, Strings and a set of the names seen about
     * a twentieth.
     */
    private static String syntaxDefect(byte[] message) {
        int lineEnd = lineEnd(message, 0);
        int version = requestLineVersion(message, lineEnd);
        if (version < 0) {
            return "Request-Line is not Method SP Request-URI SP SIP-Version";
        }
        if (!equalsIgnoreCase(message, version, lineEnd, "sip/2.0")) {
            return VERSION + new String(message, version, lineEnd - version, StandardCharsets.ISO_8859_1);
        }
        int seen = 0; // bits: the canonical names met so far
        int start = next(message, lineEnd);
        while (start < message.length && !isLineEnd(message, start)) {
            int end = lineEnd(message, start);
            while (isFolded(message, end)) { // a header value continues on lines that start with SP or HT
                end = lineEnd(message, next(message, end));
            }
            int single = singleHeader(message, start, end);
            if (single >= 0) {
                String name = CANONICAL[single];
                int bit = 1 << BIT[single];
                if ((seen & bit) != 0) {
                    return "more than one " + name + " header";
                }
                seen |= bit;
                if (name.equals("To") || name.equals("From")) {
                    String problem = nameAddrDefect(value(message, start, end));
                    if (problem != null) {
                        return name + " header: " + problem;
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

    /** Method SP Request-URI SP SIP-Version, one SP each, nothing after: where the version starts, else -1. */
    private static int requestLineVersion(byte[] m, int end) {
        int i = 0;
        while (i < end && isTokenChar((char) (m[i] & 0xff))) {
            i++;
        }
        if (i == 0 || i >= end || m[i] != ' ') {
            return -1;
        }
        int uri = ++i;
        while (i < end && m[i] != ' ' && m[i] != '\t') {
            i++;
        }
        if (i == uri || i >= end || m[i] != ' ') {
            return -1;
        }
        int version = ++i;
        if (end - i < 4 || m[i] != 'S' || m[i + 1] != 'I' || m[i + 2] != 'P' || m[i + 3] != '/') {
            return -1;
        }
        i = digits(m, i + 4, end);
        if (i < 0 || i >= end || m[i] != '.') {
            return -1;
        }
        i = digits(m, i + 1, end);
        if (i != end) {
            return -1;
        }
        return version;
    }

    /** The index after one or more ASCII digits from {@code from}, or -1 when there is none. */
    private static int digits(byte[] m, int from, int end) {
        int i = from;
        while (i < end && m[i] >= '0' && m[i] <= '9') {
            i++;
        }
        return i == from ? -1 : i;
    }

    /** The index in {@link #NAMES} of a header that may appear once, or -1 for any other header or a line without a name. */
    private static int singleHeader(byte[] m, int start, int end) {
        int colon = start;
        while (colon < end && m[colon] != ':') {
            colon++;
        }
        if (colon == start || colon == end) {
            return -1;
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
            return -1;
        }
        for (int n = 0; n < NAMES.length; n++) {
            if (equalsIgnoreCase(m, from, to, NAMES[n])) {
                return n;
            }
        }
        return -1;
    }

    /** Whether bytes [from, to) are {@code lowerCaseName} in any case (ASCII letters only fold). */
    private static boolean equalsIgnoreCase(byte[] m, int from, int to, String lowerCaseName) {
        if (to - from != lowerCaseName.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            int c = m[i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerCaseName.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value after the first colon: a view of the bytes themselves when the header is on one
     * line (the usual case: nothing is copied), else {@link #unfoldedValue}.
     */
    private static CharSequence value(byte[] m, int start, int end) {
        int colon = start;
        while (m[colon] != ':') {
            colon++;
        }
        for (int i = colon + 1; i < end; i++) {
            if (m[i] == '\r' || m[i] == '\n') {
                return unfoldedValue(m, start, end);
            }
        }
        return new Latin1View(m, colon + 1, end);
    }

    /** ISO-8859-1 bytes seen as characters, without a copy. */
    private record Latin1View(byte[] bytes, int from, int to) implements CharSequence {
        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            return (char) (bytes[from + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Latin1View(bytes, from + start, from + end);
        }

        @Override
        public String toString() {
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
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
    static String nameAddrDefect(CharSequence value) {
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
            open = indexOf(value, '<', 0);
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
        int close = indexOf(value, '>', open);
        if (close < 0) {
            return "< without >";
        }
        if (close == open + 1 || Character.isWhitespace(value.charAt(open + 1))
                || Character.isWhitespace(value.charAt(close - 1))) {
            return "spaces inside <>";
        }
        return null;
    }

    private static int indexOf(CharSequence value, char c, int from) {
        for (int i = from; i < value.length(); i++) {
            if (value.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(CharSequence value, int from) {
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
