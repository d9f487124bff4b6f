package io.pinhole.edge.upstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A login token from the proxy's admin API ({@code POST /api/edge-agents}): the address of record
 * it logs in as and its secret, written as {@code user@domain:secret}, the whole token the API
 * answers with. The agent sends the secret in its {@code Pinhole-Edge} header ({@code token=}),
 * over TLS only. {@link #toString} never shows the secret.
 */
public record EdgeToken(String user, String domain, String secret) implements Login {

    /**
     * Reads the token from {@code file}: one line, surrounding blanks ignored.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it (never the secret)
     */
    public static EdgeToken load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + " cannot be read: " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--token-file " + file + " " + e.getMessage());
        }
    }

    /** {@code user@domain:secret}, the secret letters and digits (hex, as the admin API makes it). */
    static EdgeToken parse(String token) {
        int colon = token.lastIndexOf(':');
        int at = colon < 0 ? -1 : token.lastIndexOf('@', colon);
        if (colon < 0 || at <= 0 || at == colon - 1 || colon == token.length() - 1) {
            throw new IllegalArgumentException("holds no token of the form user@domain:secret (as POST /api/edge-agents"
                    + " answers it)");
        }
        String secret = token.substring(colon + 1);
        if (!secret.chars().allMatch(Character::isLetterOrDigit)) {
            throw new IllegalArgumentException("holds a token whose secret is not letters and digits only");
        }
        return new EdgeToken(token.substring(0, at), token.substring(at + 1, colon), secret);
    }

    @Override
    public String toString() {
        return "EdgeToken[" + aor() + "]";
    }
}
