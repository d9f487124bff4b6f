package io.pinhole.redirect.routing;

/**
 * One Contact of a redirect answer.
 *
 * @param routeId        the route it came from
 * @param uri            the Contact URI, callee's user part already in place
 * @param q              q-value as written on the wire ({@code 1}, {@code 0.5}, {@code 0.125})
 * @param weight         share among Contacts of equal q
 * @param expiresSeconds how long the caller may cache it
 */
public record Redirect(long routeId, String uri, String q, int weight, int expiresSeconds) {

    /** The value of a Contact header: {@code <sip:bob@proxy-b.example>;q=0.5;expires=3600}. */
    public String contactValue() {
        return "<" + uri + ">;q=" + q + ";expires=" + expiresSeconds;
    }
}
