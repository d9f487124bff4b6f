package io.pinhole.proxy.auth;

import io.pinhole.proxy.sip.SipFactories;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads digest credentials from requests and writes challenges into responses: one
 * WWW-Authenticate (401) or Proxy-Authenticate (407) per algorithm, most preferred first
 * (RFC 8760 §2.4).
 */
public final class Challenges {

    private final SipFactories factories;
    private final List<DigestAlgorithm> algorithms;
    private final List<java.util.regex.Pattern> md5Only;
    /**
     * Whether a User-Agent matched {@link #md5Only}: a deployment has a few dozen models, and every
     * challenge ran the patterns again (1 % of a registration's CPU samples, bench/register).
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Boolean> legacyByUserAgent =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_USER_AGENTS = 1024;
    private static final List<DigestAlgorithm> MD5_ONLY = List.of(DigestAlgorithm.MD5);

    public Challenges(SipFactories factories, List<DigestAlgorithm> algorithms, List<java.util.regex.Pattern> md5Only) {
        this.factories = factories;
        this.algorithms = List.copyOf(algorithms);
        this.md5Only = List.copyOf(md5Only);
    }

    /**
     * Adds the challenge headers to a 401 ({@code proxy=false}) or 407 ({@code proxy=true}) for
     * {@code request}: every configured algorithm, or MD5 alone for user agents known to give up
     * on a challenge set they cannot fully answer.
     */
    public void challenge(Response response, Request request, String realm, String nonce, boolean stale, boolean proxy) {
        try {
            for (DigestAlgorithm algorithm : algorithmsFor(request)) {
                WWWAuthenticateHeader header = proxy
                        ? factories.headers().createProxyAuthenticateHeader("Digest")
                        : factories.headers().createWWWAuthenticateHeader("Digest");
                header.setRealm(realm);
                header.setNonce(nonce);
                header.setAlgorithm(algorithm.wireName());
                header.setQop("auth");
                if (stale) {
                    header.setStale(true);
                }
                response.addHeader(header);
            }
        } catch (ParseException e) {
            throw new IllegalStateException("cannot build a challenge for realm " + realm, e);
        }
    }

    private List<DigestAlgorithm> algorithmsFor(Request request) {
        if (md5Only.isEmpty()) {
            return algorithms;
        }
        var header = request.getHeader("User-Agent");
        if (header == null) {
            return algorithms;
        }
        String userAgent = ((gov.nist.javax.sip.header.SIPHeader) header).getHeaderValue();
        Boolean legacy = legacyByUserAgent.get(userAgent);
        if (legacy == null) {
            legacy = md5OnlyMatches(userAgent);
            if (legacyByUserAgent.size() >= MAX_USER_AGENTS) {
                legacyByUserAgent.clear(); // a flood of made-up User-Agents costs the regex again, not memory
            }
            legacyByUserAgent.put(userAgent, legacy);
        }
        return legacy ? MD5_ONLY : algorithms;
    }

    private boolean md5OnlyMatches(String userAgent) {
        String trimmed = userAgent.trim();
        for (java.util.regex.Pattern pattern : md5Only) {
            if (pattern.matcher(trimmed).find()) {
                return true;
            }
        }
        return false;
    }

    /** The nonce of the request's Digest credentials for {@code realm} (valid or not), or null when it has none. */
    public static String nonceOf(Request request, String realm, boolean proxy) {
        Iterator<?> headers = request.getHeaders(proxy ? "Proxy-Authorization" : AuthorizationHeader.NAME);
        while (headers.hasNext()) {
            AuthorizationHeader h = (AuthorizationHeader) headers.next();
            if ("Digest".equalsIgnoreCase(h.getScheme()) && realm.equalsIgnoreCase(h.getRealm())) {
                return h.getNonce() == null ? "" : h.getNonce();
            }
        }
        return null;
    }

    /** Every Authorization ({@code proxy=false}) or Proxy-Authorization header of the request. */
    public static List<DigestCredentials> credentials(Request request, boolean proxy) {
        List<DigestCredentials> found = new ArrayList<>();
        Iterator<?> headers = request.getHeaders(proxy ? "Proxy-Authorization" : AuthorizationHeader.NAME);
        while (headers.hasNext()) {
            AuthorizationHeader h = (AuthorizationHeader) headers.next();
            if (!"Digest".equalsIgnoreCase(h.getScheme())) {
                continue;
            }
            found.add(new DigestCredentials(h.getParameter("username"), h.getParameter("realm"),
                    h.getParameter("nonce"), h.getParameter("uri"), h.getParameter("response"),
                    h.getParameter("algorithm"), h.getParameter("qop"), h.getParameter("nc"),
                    h.getParameter("cnonce")));
        }
        return found;
    }
}
