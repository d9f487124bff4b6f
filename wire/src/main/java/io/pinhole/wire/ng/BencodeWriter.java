package io.pinhole.wire.ng;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Encodes {@code Number}, {@code Boolean} (as 0/1), {@code CharSequence}, {@code byte[]},
 * collections and maps with string keys. Dictionary keys are written sorted, as bencode requires.
 * Strings are encoded as ISO-8859-1 unless a charset is given, the inverse of {@link BencodeReader}.
 * Null values in a map are left out.
 */
public final class BencodeWriter {

    private BencodeWriter() {
    }

    public static byte[] encode(Object value) {
        return encode(value, StandardCharsets.ISO_8859_1);
    }

    public static byte[] encode(Object value, Charset charset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(out, value, charset);
        return out.toByteArray();
    }

    public static void write(ByteArrayOutputStream out, Object value) {
        write(out, value, StandardCharsets.ISO_8859_1);
    }

    public static void write(ByteArrayOutputStream out, Object value, Charset charset) {
        if (value instanceof CharSequence s) {
            bytes(out, s.toString().getBytes(charset));
        } else if (value instanceof byte[] b) {
            bytes(out, b);
        } else if (value instanceof Boolean b) {
            ascii(out, b ? "i1e" : "i0e");
        } else if (value instanceof Number n) {
            ascii(out, "i" + n.longValue() + "e");
        } else if (value instanceof Map<?, ?> map) {
            out.write('d');
            List<String> keys = new ArrayList<>(map.size());
            for (Object k : map.keySet()) {
                keys.add(k.toString());
            }
            keys.sort(null);
            for (String k : keys) {
                Object v = map.get(k);
                if (v != null) {
                    write(out, k, charset);
                    write(out, v, charset);
                }
            }
            out.write('e');
        } else if (value instanceof Collection<?> list) {
            out.write('l');
            for (Object item : list) {
                write(out, item, charset);
            }
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + (value == null ? "null" : value.getClass()));
        }
    }

    private static void bytes(ByteArrayOutputStream out, byte[] b) {
        ascii(out, Integer.toString(b.length));
        out.write(':');
        out.writeBytes(b);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
