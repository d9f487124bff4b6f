package io.pinhole.sip;

import javax.sip.header.ViaHeader;

/**
 * Whether a Via carries an RFC 3261 branch: one that starts with the magic cookie
 * {@code z9hG4bK} (RFC 3261 §8.1.1.7), in any case, as the RI tests it. A request without one
 * comes from an RFC 2543 element and is matched to its transaction field by field (§17.2.3).
 */
public final class Rfc3261Branch {

    private static final String MAGIC_COOKIE = "z9hG4bK";

    private Rfc3261Branch() {
    }

    public static boolean in(ViaHeader via) {
        return via != null && isOne(via.getBranch());
    }

    static boolean isOne(String branch) {
        return branch != null && branch.regionMatches(true, 0, MAGIC_COOKIE, 0, MAGIC_COOKIE.length());
    }
}
