package io.pinhole.proxy.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/** The configured bearer token, compared in constant time. */
public final class AdminToken {

    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);
    private static final int MIN_LENGTH = 16;

    private final byte[] expected;

    private AdminToken(byte[] expected) {
        this.expected = expected;
    }

    public static AdminToken from(AdminProperties properties) {
        Optional<String> token = Optional.of(properties.token().trim()).filter(t -> !t.isEmpty());
        if (token.isEmpty() && !properties.tokenFile().isBlank()) {
            try {
                token = Files.readAllLines(Path.of(properties.tokenFile())).stream()
                        .map(String::trim).filter(l -> !l.isEmpty()).findFirst();
            } catch (IOException e) {
                throw new IllegalArgumentException("pinhole.admin.token-file: cannot read " + properties.tokenFile()
                        + ": " + e.getMessage(), e);
            }
        }
        if (token.isEmpty()) {
            LOG.warn("admin API disabled: set pinhole.admin.token or pinhole.admin.token-file");
            return new AdminToken(null);
        }
        if (token.get().length() < MIN_LENGTH) {
            throw new IllegalArgumentException("pinhole.admin.token must be at least " + MIN_LENGTH + " characters");
        }
        return new AdminToken(token.get().getBytes(StandardCharsets.UTF_8));
    }

    public boolean matches(String presented) {
        return expected != null && presented != null
                && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }
}
