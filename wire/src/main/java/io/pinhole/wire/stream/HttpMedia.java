package io.pinhole.wire.stream;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Media over HTTP/1.1 to the relay, for phones (or their edge agent) behind a firewall or proxy
 * that passes only HTTP. Every request goes to {@value #PATH} and carries the call token in
 * {@code Authorization: Bearer <token>}; the first request of a token opens its session. Upstream
 * media is a POST body of one or more {@link MediaFrames} frames (or, the same bytes base64url,
 * the {@value #COOKIE} cookie of a GET); every response body carries the frames queued for the
 * client, possibly none. A GET without media is a long poll: answered as soon as media is queued,
 * or empty after the relay's hold. The README ("Media over HTTP") is the full description.
 */
public final class HttpMedia {

    /** The one path of the protocol (origin-form; absolute-form through a proxy). */
    public static final String PATH = "/pinhole/media";
    /**
     * Asks whether the relay's STUN port received a Binding request: {@code GET
     * /pinhole/udp-seen?tx=<24 hex digits>} answers 200 {@code seen <address:port>} or 404 {@code not
     * seen}. How a client that hears no STUN answer learns whether its UDP gets out (README, "Media
     * over UDP one way").
     */
    public static final String UDP_SEEN_PATH = "/pinhole/udp-seen";
    /** The cookie of a GET that carries upstream frames, base64url. */
    public static final String COOKIE = "pinhole-media";
    /** The authorization scheme before the token. */
    public static final String BEARER = "Bearer ";
    /**
     * The largest request body (upstream frames) a client sends in one request. A relay accepts at
     * least this much, so a client that queued media while a request was outstanding (a proxy or the
     * relay stalled) sends its backlog in bodies of this size and is never refused as too large.
     */
    public static final int MAX_REQUEST_BODY = 8192;
    /** Content type of request and response bodies. */
    public static final String CONTENT_TYPE = "application/octet-stream";

    private HttpMedia() {
    }

    /** One frame as it appears in a body: stream id and packet. */
    public record Frame(int streamId, byte[] packet) {
    }

    /** Frames one after another: a POST body (or, base64url, the cookie). */
    public static byte[] body(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.writeBytes(MediaFrames.frame(f.streamId(), f.packet(), 0, f.packet().length));
        }
        return out.toByteArray();
    }

    /** The {@value #COOKIE} value carrying {@code body}: base64url without padding. */
    public static String cookie(byte[] body) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(body);
    }

    /**
     * The frames of a body (a response, or a request as the relay reads it).
     *
     * @throws IllegalArgumentException when the body is not whole frames, naming why
     */
    public static List<Frame> frames(byte[] body, int maxPacket) {
        List<Frame> frames = new ArrayList<>();
        int i = 0;
        while (i < body.length) {
            if (body.length - i < 2) {
                throw new IllegalArgumentException("truncated frame header at byte " + i);
            }
            int length = (body[i] & 0xFF) << 8 | body[i + 1] & 0xFF;
            String error = MediaFrames.lengthError(length, maxPacket);
            if (error != null) {
                throw new IllegalArgumentException(error);
            }
            if (body.length - i - 2 < length) {
                throw new IllegalArgumentException("truncated frame: " + length + " bytes announced, "
                        + (body.length - i - 2) + " left");
            }
            byte[] packet = new byte[length - 1];
            System.arraycopy(body, i + MediaFrames.HEADER, packet, 0, packet.length);
            frames.add(new Frame(body[i + 2] & 0xFF, packet));
            i += 2 + length;
        }
        return frames;
    }
}
