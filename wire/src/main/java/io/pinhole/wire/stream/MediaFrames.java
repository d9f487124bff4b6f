package io.pinhole.wire.stream;

import java.nio.charset.StandardCharsets;

/**
 * Media over a TCP or TLS connection to the relay, one connection per call side. Every frame is
 * RFC 4571's 16-bit big-endian length, then that many bytes: a one-byte stream id and the packet.
 *
 * <pre>
 * +----------------------------+-----------+-----------------
 * | LENGTH (16, 1 + packet)    | STREAM ID | RTP/RTCP packet
 * +----------------------------+-----------+-----------------
 * </pre>
 *
 * Stream id {@code 2i} is the RTP of the call's i-th m= line (from 0), {@code 2i+1} its RTCP,
 * {@value #CONTROL} a control frame. The client's first frame is the hello: a control frame whose
 * payload is the call token ({@link #isToken}); the relay answers {@value #OK} or
 * {@code "ERR <reason>"} and closes. An empty control frame is a heartbeat, answered with one.
 */
public final class MediaFrames {

    /** The stream id of control frames. */
    public static final int CONTROL = 255;
    /** Length field and stream id: what a frame adds to its packet. */
    public static final int HEADER = 3;
    /** Highest media index (m= line) a stream id can name: 127's RTCP would be the control stream. */
    public static final int MAX_MEDIA_INDEX = (CONTROL - 2) / 2;
    /** The relay's answer to a valid hello. */
    public static final String OK = "OK";
    /** The start of the relay's answer to a refused hello, before it closes. */
    public static final String ERR = "ERR ";
    /** Longest token a hello may carry. */
    public static final int MAX_TOKEN = 64;

    private MediaFrames() {
    }

    public static int streamId(int mediaIndex, boolean rtcp) {
        if (mediaIndex < 0 || mediaIndex > MAX_MEDIA_INDEX) {
            throw new IllegalArgumentException("media index " + mediaIndex + " has no stream id (0-"
                    + MAX_MEDIA_INDEX + ")");
        }
        return mediaIndex * 2 + (rtcp ? 1 : 0);
    }

    /** The m= line index of a media stream id (not {@link #CONTROL}). */
    public static int mediaIndex(int streamId) {
        return streamId >> 1;
    }

    public static boolean isRtcp(int streamId) {
        return (streamId & 1) == 1 && streamId != CONTROL;
    }

    /**
     * Why a frame with this length field cannot be read, or null when it can: 0 leaves no room for
     * the stream id, and a frame larger than the largest packet plus its stream id is refused at
     * its header. Either way the connection cannot be resynchronised.
     */
    public static String lengthError(int length, int maxPacket) {
        if (length == 0) {
            return "empty frame (length 0, no stream id)";
        }
        if (length > maxPacket + 1) {
            return "oversized frame of " + length + " bytes (at most " + (maxPacket + 1) + ")";
        }
        return null;
    }

    /** A call token: 1-{@value #MAX_TOKEN} characters of base64url, what the relay issues. */
    public static boolean isToken(CharSequence token) {
        int n = token.length();
        if (n == 0 || n > MAX_TOKEN) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!isTokenChar(token.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static boolean isTokenChar(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    /** One whole frame: header and {@code length} bytes of {@code payload} from {@code offset}. */
    public static byte[] frame(int streamId, byte[] payload, int offset, int length) {
        if (streamId < 0 || streamId > CONTROL || length + 1 > 0xFFFF) {
            throw new IllegalArgumentException("no frame for stream " + streamId + " with " + length + " bytes");
        }
        byte[] frame = new byte[HEADER + length];
        frame[0] = (byte) ((length + 1) >>> 8);
        frame[1] = (byte) (length + 1);
        frame[2] = (byte) streamId;
        System.arraycopy(payload, offset, frame, HEADER, length);
        return frame;
    }

    /** The hello a client sends first. */
    public static byte[] hello(String token) {
        if (!isToken(token)) {
            throw new IllegalArgumentException("not a call token");
        }
        byte[] t = token.getBytes(StandardCharsets.US_ASCII);
        return frame(CONTROL, t, 0, t.length);
    }
}
