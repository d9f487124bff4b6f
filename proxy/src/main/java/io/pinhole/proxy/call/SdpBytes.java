package io.pinhole.proxy.call;

import java.nio.charset.StandardCharsets;

/**
 * An SDP body kept for a call's whole length as its UTF-8 bytes, not a {@code String}: what the
 * message carried (bodies are read as UTF-8, {@link CallMessages#sdpOf}), 24 bytes less each, and
 * read back only when the media moves.
 */
final class SdpBytes {

    private SdpBytes() {
    }

    /** {@code sdp}'s bytes, or null for null. */
    static byte[] of(String sdp) {
        return sdp == null ? null : sdp.getBytes(StandardCharsets.UTF_8);
    }

    /** The SDP {@code bytes} hold, or null for null. */
    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
