package io.pinhole.edge.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A SIP message as a proxy needs it: the start line, the header fields in their order (one entry
 * per value: a comma-separated Via, Route or Record-Route line becomes several) and the body.
 * Mutable on purpose: a proxy edits a copy of the message it forwards (RFC 3261 16.6) and
 * everything else passes through byte for byte in its text.
 */
public final class SipMessage {

    /** Headers whose comma-separated values are split into entries (their grammar allows it safely). */
    private static final List<String> LISTS = List.of("via", "route", "record-route");

    private String startLine;
    private final List<Header> headers;
    private byte[] body;

    /** One header field value under its name as written (the compact form expanded). */
    public record Header(String name, String value) {
    }

    private SipMessage(String startLine, List<Header> headers, byte[] body) {
        this.startLine = startLine;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Parses one whole message (headers, blank line, body of Content-Length bytes).
     *
     * @throws SipParseException naming what is wrong
     */
    public static SipMessage parse(byte[] bytes) {
        int end = headerEnd(bytes, 0, bytes.length);
        if (end < 0) {
            throw new SipParseException("no blank line after the headers");
        }
        String head = new String(bytes, 0, end, StandardCharsets.UTF_8);
        String[] lines = head.split("\r\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new SipParseException("empty start line");
        }
        String start = lines[0];
        if (!start.startsWith("SIP/2.0 ") && !start.endsWith(" SIP/2.0")) {
            throw new SipParseException("not a SIP/2.0 start line: " + abbreviate(start));
        }
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
                Header last = headers.remove(headers.size() - 1); // folded line (RFC 3261 7.3.1)
                headers.add(new Header(last.name(), last.value() + " " + line.strip()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new SipParseException("header line without a name: " + abbreviate(line));
            }
            String name = expand(line.substring(0, colon).strip());
            String value = line.substring(colon + 1).strip();
            if (LISTS.contains(name.toLowerCase(Locale.ROOT))) {
                for (String v : splitList(value)) {
                    headers.add(new Header(name, v));
                }
            } else {
                headers.add(new Header(name, value));
            }
        }
        int bodyStart = end + 4;
        byte[] body = new byte[bytes.length - bodyStart];
        System.arraycopy(bytes, bodyStart, body, 0, body.length);
        SipMessage m = new SipMessage(start, headers, body);
        String length = m.header("Content-Length");
        if (length != null) {
            int n;
            try {
                n = Integer.parseInt(length.strip());
            } catch (NumberFormatException e) {
                throw new SipParseException("Content-Length is not a number: " + abbreviate(length));
            }
            if (n < 0 || n > body.length) {
                throw new SipParseException("Content-Length " + n + " but " + body.length + " bytes of body");
            }
            if (n < body.length) {
                byte[] cut = new byte[n];
                System.arraycopy(body, 0, cut, 0, n);
                m.body = cut;
            }
        }
        return m;
    }

    /** Index of the CRLFCRLF ending the headers in {@code bytes[from, to)}, or -1. */
    public static int headerEnd(byte[] bytes, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    public byte[] toBytes() {
        setHeader("Content-Length", Integer.toString(body.length));
        StringBuilder sb = new StringBuilder(512 + body.length);
        sb.append(startLine).append("\r\n");
        for (Header h : headers) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    public boolean isRequest() {
        return !startLine.startsWith("SIP/2.0 ");
    }

    /** The request's method, or the CSeq method of a response. */
    public String method() {
        if (isRequest()) {
            return startLine.substring(0, startLine.indexOf(' '));
        }
        String cseq = header("CSeq");
        if (cseq == null) {
            return "";
        }
        String[] parts = cseq.strip().split("\\s+");
        return parts.length < 2 ? "" : parts[1];
    }

    public String requestUri() {
        String[] parts = startLine.split(" ");
        return parts.length == 3 ? parts[1] : "";
    }

    public void setRequestUri(String uri) {
        startLine = method() + " " + uri + " SIP/2.0";
    }

    public int status() {
        if (isRequest()) {
            return 0;
        }
        try {
            return Integer.parseInt(startLine.substring(8, 11));
        } catch (RuntimeException e) {
            throw new SipParseException("bad status line: " + abbreviate(startLine));
        }
    }

    public String startLine() {
        return startLine;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                values.add(h.value());
            }
        }
        return values;
    }

    /** Replaces every value of {@code name} with one, or adds it at the end. */
    public void setHeader(String name, String value) {
        int first = -1;
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).name().equalsIgnoreCase(name)) {
                headers.remove(i);
                first = i;
            }
        }
        if (first < 0) {
            headers.add(new Header(name, value));
        } else {
            headers.add(first, new Header(name, value));
        }
    }

    /** Adds a value above every other value of the same header (or before the first header if none). */
    public void pushHeader(String name, String value) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name().equalsIgnoreCase(name)) {
                headers.add(i, new Header(name, value));
                return;
            }
        }
        headers.add(0, new Header(name, value));
    }

    /** Removes the first value of a header and returns it, or null. */
    public String popHeader(String name) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name().equalsIgnoreCase(name)) {
                return headers.remove(i).value();
            }
        }
        return null;
    }

    /** Replaces the first value of a header. */
    public void replaceFirst(String name, String value) {
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name().equalsIgnoreCase(name)) {
                headers.set(i, new Header(headers.get(i).name(), value));
                return;
            }
        }
        headers.add(new Header(name, value));
    }

    public void removeHeader(String name) {
        headers.removeIf(h -> h.name().equalsIgnoreCase(name));
    }

    public byte[] body() {
        return body;
    }

    public void setBody(byte[] body) {
        this.body = body;
    }

    /** True when the body is SDP (Content-Type application/sdp). */
    public boolean hasSdp() {
        String type = header("Content-Type");
        return body.length > 0 && type != null && type.toLowerCase(Locale.ROOT).startsWith("application/sdp");
    }

    public String callId() {
        String id = header("Call-ID");
        return id == null ? "" : id;
    }

    /** The tag of the To header, or null (a dialog-creating request has none). */
    public String toTag() {
        String to = header("To");
        return to == null ? null : SipUri.headerParam(to, "tag");
    }

    private static String expand(String name) {
        if (name.length() != 1) {
            return name;
        }
        return switch (Character.toLowerCase(name.charAt(0))) {
            case 'v' -> "Via";
            case 'f' -> "From";
            case 't' -> "To";
            case 'i' -> "Call-ID";
            case 'm' -> "Contact";
            case 'l' -> "Content-Length";
            case 'c' -> "Content-Type";
            case 'k' -> "Supported";
            case 's' -> "Subject";
            case 'e' -> "Content-Encoding";
            default -> name;
        };
    }

    /** Splits a header list on commas outside quotes and angle brackets. */
    static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int angle = 0;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                angle++;
            } else if (!quoted && c == '>') {
                angle = Math.max(0, angle - 1);
            } else if (!quoted && angle == 0 && c == ',') {
                out.add(value.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(value.substring(start).strip());
        out.removeIf(String::isEmpty);
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
