package io.pinhole.redirect.routing;

import java.util.Locale;
import java.util.Objects;

/**
 * One enabled row of {@code routes}, as the redirect server uses it.
 *
 * @param id             primary key (ties are broken by it, so answers are reproducible)
 * @param matchUser      user part to match exactly (with matchDomain), or null
 * @param matchDomain    domain to match (lower case), or null
 * @param matchPrefix    number prefix; with {@code +} compared with the E.164 form, without
 *                       with the digits as dialled; or null
 * @param target         where the caller is sent
 * @param kind           proxy or trunk
 * @param q              the Contact's q-value, 0..1, at most three decimals
 * @param weight         share among routes of equal q (0: only after all others)
 * @param permanent      answer 301 instead of 302
 * @param expiresSeconds Contact expires, or null for the server's default
 * @param plan           how a dialled number is read
 * @param numberFormat   how the number is written into the Contact
 */
public record Route(
        long id,
        String matchUser,
        String matchDomain,
        String matchPrefix,
        TargetUri target,
        RouteKind kind,
        float q,
        int weight,
        boolean permanent,
        Integer expiresSeconds,
        NumberPlan plan,
        NumberFormat numberFormat) {

    public Route {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(numberFormat, "numberFormat");
        matchDomain = matchDomain == null ? null : matchDomain.toLowerCase(Locale.ROOT);
        if (matchDomain == null && matchPrefix == null) {
            throw new IllegalArgumentException("route " + id + " matches neither a domain nor a prefix");
        }
        if (matchUser != null && (matchDomain == null || matchPrefix != null)) {
            throw new IllegalArgumentException("route " + id + ": a user route needs a domain and no prefix");
        }
        if (matchPrefix != null && !matchPrefix.matches("\\+?[0-9]{1,32}")) {
            throw new IllegalArgumentException("route " + id + ": bad prefix " + matchPrefix);
        }
        if (!(q >= 0f && q <= 1f)) {
            throw new IllegalArgumentException("route " + id + ": q must be 0..1, was " + q);
        }
        if (weight < 0) {
            throw new IllegalArgumentException("route " + id + ": weight must be >= 0, was " + weight);
        }
        if (expiresSeconds != null && expiresSeconds < 0) {
            throw new IllegalArgumentException("route " + id + ": expires must be >= 0");
        }
        if (numberFormat == NumberFormat.NATIONAL && plan.countryCode() == null) {
            throw new IllegalArgumentException("route " + id + ": national number format needs a country code");
        }
    }

    boolean isPrefixRoute() {
        return matchPrefix != null;
    }

    boolean isUserRoute() {
        return matchUser != null;
    }
}
