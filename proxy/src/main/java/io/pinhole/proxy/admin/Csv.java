package io.pinhole.proxy.admin;

import java.util.List;
import java.util.stream.Collectors;

/**
 * RFC 4180 records: fields separated by commas, lines ended by CRLF; a field holding a comma, a
 * double quote, CR or LF (or spaces at either end, which some readers trim) is quoted, with its
 * double quotes doubled. Null is the empty field.
 */
final class Csv {

    private Csv() {
    }

    static String line(List<?> values) {
        return values.stream().map(Csv::field).collect(Collectors.joining(",")) + "\r\n";
    }

    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        boolean quote = text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n')
                || !text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(text.length() - 1) == ' ');
        return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
