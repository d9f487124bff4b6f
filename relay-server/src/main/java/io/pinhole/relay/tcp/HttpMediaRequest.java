package io.pinhole.relay.tcp;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.pinhole.wire.stream.HttpMedia;
import io.pinhole.wire.stream.MediaFrames;

/**
 * What one HTTP media request asks for, decided from its request line and headers alone (a pure
 * function; the handler acts on it). Refusals carry the status and the reason logged and sent.
 *
 * @param status 0 when accepted, else the HTTP status of the refusal
 * @param reason why it was refused; null when accepted
 * @param token  the call token from {@code Authorization: Bearer}
 * @param cookie the {@value HttpMedia#COOKIE} cookie's value (base64url frames); null when none
 * @param poll   a GET without media: may be held until media is queued
 */
record HttpMediaRequest(int status, String reason, String token, String cookie, boolean poll) {

    static HttpMediaRequest refused(int status, String reason) {
        return new HttpMediaRequest(status, reason, null, null, false);
    }

    boolean accepted() {
        return status == 0;
    }

    /**
     * @param uri        origin-form ({@code /pinhole/media}) or, through a proxy, absolute-form
     * @param bodyLength bytes of the request body
     */
    static HttpMediaRequest of(String method, String uri, String authorization, String cookieHeader,
                               int bodyLength) {
        if (!HttpMedia.PATH.equals(path(uri))) {
            return refused(404, "unknown path " + abbreviate(uri));
        }
        boolean get = "GET".equals(method);
        if (!get && !"POST".equals(method)) {
            return refused(405, "method " + abbreviate(method) + " (GET or POST)");
        }
        String token = authorization != null && authorization.regionMatches(true, 0, HttpMedia.BEARER, 0,
                HttpMedia.BEARER.length()) ? authorization.substring(HttpMedia.BEARER.length()).trim() : null;
        if (token == null || !MediaFrames.isToken(token)) {
            return refused(403, token == null ? "no call token" : "malformed call token");
        }
        if (!get) {
            return new HttpMediaRequest(0, null, token, null, false);
        }
        if (bodyLength > 0) {
            return refused(400, "GET with a body (media goes in a POST body or the " + HttpMedia.COOKIE + " cookie)");
        }
        String cookie = cookie(cookieHeader);
        return new HttpMediaRequest(0, null, token, cookie, cookie == null);
    }

    private static String cookie(String header) {
        if (header == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
            if (HttpMedia.COOKIE.equals(c.name()) && !c.value().isEmpty()) {
                return c.value();
            }
        }
        return null;
    }

    /** The path of an origin-form or absolute-form request target, without its query. */
    static String path(String uri) {
        String p = uri;
        int scheme = p.indexOf("://");
        if (scheme > 0 && scheme < 6) {
            int slash = p.indexOf('/', scheme + 3);
            p = slash < 0 ? "/" : p.substring(slash);
        }
        int query = p.indexOf('?');
        return query < 0 ? p : p.substring(0, query);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
