package io.pinhole.edge.upstream;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The agent's own login: an ordinary Pinhole user. {@link #toString} never shows the password. */
public record Credential(String user, String domain, String password) implements Login {

    /**
     * Reads a Java properties file with {@code user}, {@code domain} and {@code password}.
     *
     * @throws IllegalArgumentException naming the file and the missing key
     */
    public static Credential load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("--credential " + file + " cannot be read: " + e.getMessage());
        }
        String[] values = new String[3];
        String[] keys = {"user", "domain", "password"};
        for (int i = 0; i < 3; i++) {
            String v = p.getProperty(keys[i]);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("--credential " + file + " has no '" + keys[i] + "'");
            }
            values[i] = v.strip();
        }
        return new Credential(values[0], values[1], values[2]);
    }

    @Override
    public String toString() {
        return "Credential[" + aor() + "]";
    }
}
