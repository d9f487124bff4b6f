package io.pinhole.proxy.auth;

/**
 * The parameters of one Authorization / Proxy-Authorization header, as parsed by JAIN-SIP.
 * Any field may be null when the client left it out.
 */
public record DigestCredentials(
        String username,
        String realm,
        String nonce,
        String uri,
        String response,
        String algorithm,
        String qop,
        String nonceCount,
        String cnonce) {
}
