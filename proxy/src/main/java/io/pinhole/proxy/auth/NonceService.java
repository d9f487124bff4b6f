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
 * Stateless nonces: issue time + a unique number + HMAC over both. A proxy (or several sharing the
 * secret) can tell its own unexpired nonces from forged or expired ones without storing
 * them; only nonce counts are remembered (see {@link NonceCounts}).
 */
public final class NonceService {

    public enum Verdict { VALID, STALE, INVALID }

    private static final int TIME_BYTES = 8;
    private static final int UNIQUE_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int TOTAL = TIME_BYTES + UNIQUE_BYTES + MAC_BYTES;

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;
    /** Unique per nonce; starts at a random point so that proxies sharing the secret rarely meet. */
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong(
            new SecureRandom().nextLong());
    /** One keyed HMAC per thread: the algorithm is looked up and keyed once, not for every nonce and check. */
    private final ThreadLocal<Mac> macs;

    public NonceService(byte[] secret, Duration ttl, Clock clock) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("nonce secret must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
        this.ttl = ttl;
        this.clock = clock;
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue() {
        ByteBuffer buffer = ByteBuffer.allocate(TOTAL);
        buffer.putLong(clock.millis());
        buffer.putLong(sequence.getAndIncrement());
        buffer.put(mac(buffer.array(), TIME_BYTES + UNIQUE_BYTES), 0, MAC_BYTES);
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
        byte[] expected = mac(raw, TIME_BYTES + UNIQUE_BYTES);
        byte[] actual = new byte[MAC_BYTES];
        System.arraycopy(raw, TIME_BYTES + UNIQUE_BYTES, actual, 0, MAC_BYTES);
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

    /**
     * When {@code nonce} was issued, read from it without checking it (call {@link #check} for
     * that); {@link Long#MIN_VALUE} when it is not shaped like one of ours.
     */
    static long issuedAt(String nonce) {
        if (nonce == null || nonce.length() < 11) {
            return Long.MIN_VALUE;
        }
        long time = 0;
        int bits = 0;
        for (int i = 0; i < 11; i++) { // 66 bits of base64url: the 8 bytes of the issue time
            int v = base64url(nonce.charAt(i));
            if (v < 0) {
                return Long.MIN_VALUE;
            }
            if (bits + 6 <= 64) {
                time = time << 6 | v;
                bits += 6;
            } else {
                time = time << 4 | v >>> 2;
                bits = 64;
            }
        }
        return time;
    }

    private static int base64url(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }

    private byte[] mac(byte[] data, int length) {
        Mac mac = macs.get();
        mac.update(data, 0, length);
        return mac.doFinal(); // also resets it for the next nonce
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }
}
