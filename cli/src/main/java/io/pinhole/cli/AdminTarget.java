package io.pinhole.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the admin API is and the token for it, as the launcher sets the proxy up: the URL from
 * {@code --url}, {@code PINHOLE_ADMIN_URL}, or {@code http://<PINHOLE_ADMIN_BIND>:<PINHOLE_ADMIN_PORT>}
 * (127.0.0.1:8080); the token from {@code PINHOLE_ADMIN_TOKEN}, else the file {@code --token-file},
 * {@code PINHOLE_ADMIN_TOKEN_FILE} or {@code <PINHOLE_DATA_DIR>/admin-token} ({@code ./data}).
 *
 * @param tokenSource where the token came from, for error messages (never the token itself)
 */
record AdminTarget(URI base, String token, String tokenSource) {

    static AdminTarget resolve(Map<String, String> env, String urlOption, String tokenFileOption) {
        return new AdminTarget(url(env, urlOption), null, null).withToken(env, tokenFileOption);
    }

    /** The URL alone: enough for the health check, which needs no token. */
    static URI url(Map<String, String> env, String urlOption) {
        String url = firstSet(urlOption, env.get("PINHOLE_ADMIN_URL"));
        if (url == null) {
            String bind = env.getOrDefault("PINHOLE_ADMIN_BIND", "127.0.0.1");
            String host = bind.isBlank() || bind.equals("0.0.0.0") ? "127.0.0.1" : bind.equals("::") ? "[::1]" : bind;
            url = "http://" + host + ":" + env.getOrDefault("PINHOLE_ADMIN_PORT", "8080");
        }
        try {
            URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw CliException.usage("admin URL " + url + " is not an http:// or https:// URL with a host");
        }
    }

    private AdminTarget withToken(Map<String, String> env, String tokenFileOption) {
        String fromEnv = env.get("PINHOLE_ADMIN_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank() && tokenFileOption == null) {
            return new AdminTarget(base, fromEnv.strip(), "PINHOLE_ADMIN_TOKEN");
        }
        String file = firstSet(tokenFileOption, env.get("PINHOLE_ADMIN_TOKEN_FILE"));
        if (file == null) {
            file = Path.of(env.getOrDefault("PINHOLE_DATA_DIR", "data"), "admin-token").toString();
        }
        Path path = Path.of(file);
        String token;
        try {
            token = Files.readString(path).strip();
        } catch (IOException e) {
            throw new CliException(CliException.TOKEN, "no admin token: cannot read " + path.toAbsolutePath()
                    + " (" + e.getClass().getSimpleName() + "); start the proxy once with ./pinhole start, "
                    + "or set PINHOLE_ADMIN_TOKEN");
        }
        if (token.isEmpty()) {
            throw new CliException(CliException.TOKEN, "no admin token: " + path.toAbsolutePath() + " is empty");
        }
        return new AdminTarget(base, token, path.toAbsolutePath().toString());
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
