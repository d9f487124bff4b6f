package io.pinhole.proxy.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Stateless nonces: issue time + random + HMAC over both. A proxy (or several sharing the
 * secret) can tell its own unexpired nonces from forged or expired ones without storing
 * them; only nonce counts are remembered (see {@link NonceCounts}).
 */
public final class NonceService {

    public enum Verdict { VALID, STALE, INVALID }

    private static final int TIME_BYTES = 8;
    private static final int RANDOM_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int TOTAL = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public NonceService(byte[] secret, Duration ttl, Clock clock) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("nonce secret must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.ttl = ttl;
        this.clock = clock;
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue() {
        ByteBuffer buffer = ByteBuffer.allocate(TOTAL);
        buffer.putLong(clock.millis());
        byte[] nonceRandom = new byte[RANDOM_BYTES];
        random.nextBytes(nonceRandom);
        buffer.put(nonceRandom);
        buffer.put(mac(buffer.array(), TIME_BYTES + RANDOM_BYTES), 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    public Verdict check(String nonce) {
        if (nonce == null || nonce.length() > 64) {
            return Verdict.INVALID;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return Verdict.INVALID;
        }
        if (raw.length != TOTAL) {
            return Verdict.INVALID;
        }
        byte[] expected = mac(raw, TIME_BYTES + RANDOM_BYTES);
        byte[] actual = new byte[MAC_BYTES];
        System.arraycopy(raw, TIME_BYTES + RANDOM_BYTES, actual, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOf(expected, MAC_BYTES), actual)) {
            return Verdict.INVALID;
        }
        long issuedAt = ByteBuffer.wrap(raw, 0, TIME_BYTES).getLong();
        long age = clock.millis() - issuedAt;
        if (age < 0 || age > ttl.toMillis()) {
            return Verdict.STALE;
        }
        return Verdict.VALID;
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }
}
