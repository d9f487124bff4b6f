package io.pinhole.proxy.edge;

import java.util.Locale;
import java.util.Map;

/**
 * Whether an edge agent's REGISTER may log in with the token in its {@code Pinhole-Edge} header.
 * Pure: the live tokens are a snapshot in memory ({@link EdgeTokens}), keyed by the token's SHA-256.
 */
public final class EdgeTokenCheck {

    /** A live token: its name, and the user (id and {@code user@domain}) it logs in as. */
    public record Entry(long id, String name, long userId, String aor) {
    }

    /** What to do with the REGISTER. */
    public sealed interface Verdict {
    }

    /** Log in as {@code entry}'s user, without a digest. */
    public record Accepted(Entry entry) implements Verdict {
    }

    /**
     * Answer {@code status reason}; {@code log} says why for the log line (never the token), and
     * {@code exposed} is the live token that came over a connection that did not protect it.
     */
    public record Refused(int status, String reason, String log, Entry exposed) implements Verdict {
    }

    private EdgeTokenCheck() {
    }

    /**
     * @param sha256    the SHA-256 (hex) of the token presented
     * @param aor       the REGISTER's address of record, {@code user@domain}
     * @param transport the transport it came over (only TLS keeps a token secret)
     */
    public static Verdict check(Map<String, Entry> live, String sha256, String aor, String transport) {
        Entry entry = live.get(sha256);
        String t = transport == null ? "" : transport.toUpperCase(Locale.ROOT);
        if (!t.equals("TLS")) {
            return new Refused(403, "Edge agent tokens are accepted over TLS only, not " + t,
                    "a token over " + t + (entry == null ? " (no live token)" : " (live token " + entry.name()
                            + ": anyone on that path may have read it; revoke it with DELETE /api/edge-agents/"
                            + entry.name() + ")"), entry);
        }
        if (entry == null) {
            return new Refused(403, "Edge agent token unknown or revoked", "an unknown or revoked token", null);
        }
        if (!entry.aor().equals(aor)) {
            return new Refused(403, "Edge agent token is not for " + aor,
                    "token " + entry.name() + " is for " + entry.aor() + ", not " + aor, null);
        }
        return new Accepted(entry);
    }
}
