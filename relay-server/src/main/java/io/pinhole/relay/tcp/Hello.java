package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;

/**
 * The first frame of a media connection: a control frame whose payload is the call token from
 * the ng reply ({@code tcp-token}). Pure parsing, no state.
 */
final class Hello {

    static final int MAX_TOKEN = 64;

    private Hello() {
    }

    /**
     * The token of a hello, or null when the frame is not one: not a control frame, empty, too
     * long, or with a character outside base64url (what the relay issues).
     *
     * @param streamId the frame's stream id; {@code payload} after it, read without consuming
     */
    static String token(int streamId, ByteBuf payload) {
        int n = payload.readableBytes();
        if (streamId != StreamFrames.CONTROL || n == 0 || n > MAX_TOKEN) {
            return null;
        }
        char[] token = new char[n];
        for (int i = 0; i < n; i++) {
            int c = payload.getUnsignedByte(payload.readerIndex() + i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return null;
            }
            token[i] = (char) c;
        }
        return new String(token);
    }
}
