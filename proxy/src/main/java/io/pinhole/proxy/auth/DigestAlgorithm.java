package io.pinhole.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** The digest algorithms we challenge with: RFC 3261 MD5 and RFC 8760 SHA-256. */
public enum DigestAlgorithm {
    SHA_256("SHA-256", "SHA-256"),
    MD5("MD5", "MD5");

    private final String wireName;
    private final String jcaName;
    /**
     * One instance per thread: {@code MessageDigest.getInstance} looks the provider up on every
     * call, and two digests per authenticated request made that lookup half of their cost.
     */
    private final ThreadLocal<MessageDigest> digests;

    DigestAlgorithm(String wireName, String jcaName) {
        this.wireName = wireName;
        this.jcaName = jcaName;
        this.digests = ThreadLocal.withInitial(this::newDigest);
    }

    public String wireName() {
        return wireName;
    }

    /** An absent algorithm parameter means MD5 (RFC 3261 §22.4). */
    public static Optional<DigestAlgorithm> fromWire(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of(MD5);
        }
        String upper = name.toUpperCase(Locale.ROOT);
        for (DigestAlgorithm algorithm : values()) {
            if (algorithm.wireName.equals(upper)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** Lower-case hex of the digest of {@code text} (UTF-8). */
    public String hex(String text) {
        // digest() resets it for the next use; nothing else on this thread is between update and digest
        return HexFormat.of().formatHex(digests.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is required by every Java runtime", e);
        }
    }

    /** HA1 = H(username:realm:password); stored instead of the password. */
    public String ha1(String username, String realm, String password) {
        return hex(username + ":" + realm + ":" + password);
    }
}
