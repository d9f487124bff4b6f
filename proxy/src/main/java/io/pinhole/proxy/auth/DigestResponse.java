package io.pinhole.proxy.auth;

/** The expected response of RFC 2617 / RFC 8760 digest with qop=auth, computed from HA1. */
final class DigestResponse {

    private DigestResponse() {
    }

    static String expected(DigestAlgorithm algorithm, String ha1, String method, DigestCredentials c) {
        String ha2 = algorithm.hex(method + ":" + c.uri());
        return algorithm.hex(ha1 + ":" + c.nonce() + ":" + c.nonceCount() + ":" + c.cnonce() + ":" + c.qop() + ":" + ha2);
    }
}
