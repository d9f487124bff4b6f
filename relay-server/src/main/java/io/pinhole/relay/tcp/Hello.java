package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.pinhole.wire.stream.MediaFrames;

/**
 * The first frame of a media connection: a control frame whose payload is the call token from
 * the ng reply ({@code tcp-token}). Pure parsing, no state.
 */
final class Hello {

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
        if (streamId != MediaFrames.CONTROL || n == 0 || n > MediaFrames.MAX_TOKEN) {
            return null;
        }
        char[] token = new char[n];
        for (int i = 0; i < n; i++) {
            int c = payload.getUnsignedByte(payload.readerIndex() + i);
            if (!MediaFrames.isTokenChar(c)) {
                return null;
            }
            token[i] = (char) c;
        }
        return new String(token);
    }
}
