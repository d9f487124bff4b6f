package io.pinhole.wire.stun;

import java.security.SecureRandom;
import java.util.Random;

/**
 * The 96-bit transaction ID of a STUN message, as three big-endian words (so it compares by value
 * and holds no array).
 */
public record TransactionId(int word0, int word1, int word2) {

    /** A fresh random ID, as RFC 5389 section 6 asks of clients ("uniformly and randomly"). */
    public static TransactionId random(Random random) {
        return new TransactionId(random.nextInt(), random.nextInt(), random.nextInt());
    }

    public static TransactionId random() {
        return random(new SecureRandom());
    }

    /** The ID from its 12 wire bytes. */
    public static TransactionId of(byte[] twelveBytes) {
        if (twelveBytes.length != 12) {
            throw new IllegalArgumentException("a transaction ID has 12 bytes, got " + twelveBytes.length);
        }
        return new TransactionId(word(twelveBytes, 0), word(twelveBytes, 4), word(twelveBytes, 8));
    }

    /** The 12 wire bytes. */
    public byte[] bytes() {
        byte[] b = new byte[12];
        put(b, 0, word0);
        put(b, 4, word1);
        put(b, 8, word2);
        return b;
    }

    private static int word(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    private static void put(byte[] b, int i, int w) {
        b[i] = (byte) (w >>> 24);
        b[i + 1] = (byte) (w >>> 16);
        b[i + 2] = (byte) (w >>> 8);
        b[i + 3] = (byte) w;
    }

    @Override
    public String toString() {
        return String.format("%08x%08x%08x", word0, word1, word2);
    }
}
