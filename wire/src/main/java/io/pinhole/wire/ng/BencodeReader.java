package io.pinhole.wire.ng;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one bencoded value from a byte array.
 *
 * <p>Values map to {@code Long}, {@code String}, {@code List<Object>} and
 * {@code Map<String, Object>} (insertion ordered). By default byte strings are decoded as
 * ISO-8859-1 so every byte maps to exactly one char: the relay sends an SDP body back byte-exact
 * after {@link BencodeWriter} encodes it the same way, whatever its real charset. A client that
 * builds its SDP as Java text (the proxy) reads and writes UTF-8 instead.
 *
 * <p>Our own codec instead of a library: ng messages are small and the control path wants to
 * decode straight from the datagram's bytes, with explicit limits on nesting and length. It
 * replaced dampcake's bencode in the proxy because it measured faster (bench/ng).
 */
public final class BencodeReader {

    private static final int MAX_DEPTH = 32;

    private final byte[] data;
    private final int end;
    private final Charset charset;
    private int pos;

    private BencodeReader(byte[] data, int offset, int length, Charset charset) {
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
        this.charset = charset;
    }

    /** Decodes exactly one value that must fill {@code data[offset, offset + length)}, strings as ISO-8859-1. */
    public static Object decode(byte[] data, int offset, int length) throws BencodeException {
        return decode(data, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** Decodes exactly one value that must fill {@code data[offset, offset + length)}, strings in {@code charset}. */
    public static Object decode(byte[] data, int offset, int length, Charset charset) throws BencodeException {
        BencodeReader reader = new BencodeReader(data, offset, length, charset);
        Object value = reader.value(0);
        if (reader.pos != reader.end) {
            throw new BencodeException("trailing bytes after bencoded value");
        }
        return value;
    }

    /** Decodes a dictionary, the only top-level value the ng protocol allows, strings as ISO-8859-1. */
    public static Map<String, Object> decodeDictionary(byte[] data, int offset, int length) throws BencodeException {
        return decodeDictionary(data, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** Decodes a dictionary, the only top-level value the ng protocol allows, strings in {@code charset}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> decodeDictionary(byte[] data, int offset, int length, Charset charset)
            throws BencodeException {
        if (length == 0 || data[offset] != 'd') {
            throw new BencodeException("not a bencoded dictionary");
        }
        return (Map<String, Object>) decode(data, offset, length, charset);
    }

    private Object value(int depth) throws BencodeException {
        if (depth > MAX_DEPTH) {
            throw new BencodeException("bencode nested too deeply");
        }
        byte b = peek();
        if (b == 'i') {
            pos++;
            long v = number('e');
            return v;
        }
        if (b == 'l') {
            pos++;
            List<Object> list = new ArrayList<>();
            while (peek() != 'e') {
                list.add(value(depth + 1));
            }
            pos++;
            return list;
        }
        if (b == 'd') {
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            while (peek() != 'e') {
                if (peek() < '0' || peek() > '9') {
                    throw new BencodeException("dictionary key is not a string");
                }
                String key = string();
                map.put(key, value(depth + 1));
            }
            pos++;
            return map;
        }
        if (b >= '0' && b <= '9') {
            return string();
        }
        throw new BencodeException("unexpected byte '" + (char) (b & 0xff) + "' at offset " + pos);
    }

    private String string() throws BencodeException {
        long len = number(':');
        if (len < 0 || len > end - pos) {
            throw new BencodeException("truncated bencode string");
        }
        String s = new String(data, pos, (int) len, charset);
        pos += (int) len;
        return s;
    }

    private long number(char terminator) throws BencodeException {
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            pos++;
        }
        int start = pos;
        long v = 0;
        while (peek() != terminator) {
            byte d = data[pos];
            if (d < '0' || d > '9' || pos - start >= 18) {
                throw new BencodeException("bad bencode number at offset " + pos);
            }
            v = v * 10 + (d - '0');
            pos++;
        }
        if (pos == start) {
            throw new BencodeException("empty bencode number at offset " + pos);
        }
        pos++;
        return negative ? -v : v;
    }

    private byte peek() throws BencodeException {
        if (pos >= end) {
            throw new BencodeException("truncated bencode");
        }
        return data[pos];
    }
}
