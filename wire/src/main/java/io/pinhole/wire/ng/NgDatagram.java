package io.pinhole.wire.ng;

import java.nio.charset.StandardCharsets;

/**
 * The framing of an ng datagram, {@code <cookie> <bencoded body>}, for both ends: the cookie is
 * everything before the first space and comes back unchanged in the reply. Static helpers on
 * plain arrays, so the relay's handler reads it without an allocation beyond the cookie string.
 */
public final class NgDatagram {

    private NgDatagram() {
    }

    /** The index of the space that ends the cookie in {@code data[0, length)}, or -1 when there is no cookie. */
    public static int cookieEnd(byte[] data, int length) {
        for (int i = 0; i < length; i++) {
            if (data[i] == ' ') {
                return i == 0 ? -1 : i;
            }
        }
        return -1;
    }

    /** The cookie that {@link #cookieEnd} found, every byte one char (ISO-8859-1). */
    public static String cookie(byte[] data, int cookieEnd) {
        return new String(data, 0, cookieEnd, StandardCharsets.ISO_8859_1);
    }

    /** {@code cookie + " " + body}, ready to send. */
    public static byte[] frame(String cookie, byte[] body) {
        byte[] prefix = cookie.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[prefix.length + 1 + body.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        out[prefix.length] = ' ';
        System.arraycopy(body, 0, out, prefix.length + 1, body.length);
        return out;
    }
}
