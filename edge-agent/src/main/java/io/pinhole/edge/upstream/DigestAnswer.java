package io.pinhole.edge.upstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 2617 / RFC 8760 digest: the Authorization value answering one of a 401's challenges
 * (SHA-256 preferred over MD5; qop=auth when offered). Pure.
 */
public final class DigestAnswer {

    private DigestAnswer() {
    }

    /**
     * @param challenges the WWW-Authenticate (or Proxy-Authenticate) values
     * @return the header value, or null when no challenge is a Digest one we can answer
     */
    public static String answer(List<String> challenges, Credential credential, String method, String uri,
                                String cnonce, int nonceCount) {
        Map<String, String> chosen = null;
        String algorithm = null;
        for (String c : challenges) {
            if (!c.regionMatches(true, 0, "Digest ", 0, 7)) {
                continue;
            }
            Map<String, String> params = params(c.substring(7));
            String a = params.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
            if (a.equals("SHA-256") && !"SHA-256".equals(algorithm)) {
                chosen = params;
                algorithm = a;
            } else if (a.equals("MD5") && algorithm == null) {
                chosen = params;
                algorithm = a;
            }
        }
        if (chosen == null) {
            return null;
        }
        String realm = chosen.getOrDefault("realm", "");
        String nonce = chosen.getOrDefault("nonce", "");
        String ha1 = hex(algorithm, credential.user() + ":" + realm + ":" + credential.password());
        String ha2 = hex(algorithm, method + ":" + uri);
        boolean qop = chosen.containsKey("qop") && List.of(chosen.get("qop").split(",")).stream()
                .map(String::strip).anyMatch("auth"::equalsIgnoreCase);
        String nc = String.format("%08x", nonceCount);
        String response = qop ? hex(algorithm, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                : hex(algorithm, ha1 + ":" + nonce + ":" + ha2);
        StringBuilder sb = new StringBuilder("Digest username=\"").append(credential.user())
                .append("\", realm=\"").append(realm).append("\", nonce=\"").append(nonce)
                .append("\", uri=\"").append(uri).append("\", response=\"").append(response)
                .append("\", algorithm=").append(algorithm);
        if (qop) {
            sb.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"');
        }
        if (chosen.containsKey("opaque")) {
            sb.append(", opaque=\"").append(chosen.get("opaque")).append('"');
        }
        return sb.toString();
    }

    static Map<String, String> params(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < s.length() && s.charAt(i) == '"') {
                int close = s.indexOf('"', i + 1);
                if (close < 0) {
                    close = s.length();
                }
                value = s.substring(i + 1, close);
                i = close + 1;
            } else {
                int comma = s.indexOf(',', i);
                if (comma < 0) {
                    comma = s.length();
                }
                value = s.substring(i, comma).strip();
                i = comma;
            }
            out.put(key, value);
        }
        return out;
    }

    private static String hex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java runtime", e);
        }
    }
}
