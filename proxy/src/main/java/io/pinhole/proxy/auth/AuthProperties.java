package io.pinhole.proxy.auth;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Digest authentication settings ({@code pinhole.auth.*}).
 *
 * @param algorithms   challenge algorithms, most preferred first (one WWW-Authenticate each). MD5
 *                     comes first by default because older user agents (SIPp 3.6, many desk
 *                     phones) read only the first challenge and give up on SHA-256, as Kamailio's
 *                     and Asterisk's defaults assume too; put SHA-256 first where phones allow
 * @param nonceTtl     a nonce older than this is answered with stale=true
 * @param maxFailures  wrong answers for one account (user@domain) from one source address within
 *                     {@code failureWindow} that lock that account out from that address (403) for
 *                     {@code failureWindow}; other accounts behind the same address are not affected
 * @param failureWindow the window failures are counted in (from the first), and the length of a lockout
 * @param maxFailuresPerSource wrong answers from one source address across all accounts within
 *                     {@code sourceFailureWindow} that lock the whole address out for that window
 *                     (one address guessing many accounts). Stale phones behind a shared NAT add at
 *                     most {@code maxFailures} each per window, so 100 leaves an office room for dozens
 * @param sourceFailureWindow the window of the per-address count, and the length of an address lockout
 * @param nonceSecret  key for nonces; proxies sharing it accept each other's nonces. Empty = random per start
 * @param md5OnlyUserAgents User-Agent patterns (regular expressions, searched) that get only the
 *                     MD5 challenge: baresip 1.0 (Debian 12's libre) abandons a 401/407 as soon as
 *                     one of its challenges is not MD5, instead of answering the one it can
 */
@Validated
@ConfigurationProperties("pinhole.auth")
public record AuthProperties(
        @DefaultValue({"MD5", "SHA-256"}) @NotEmpty List<String> algorithms,
        @DefaultValue("300s") Duration nonceTtl,
        @DefaultValue("3") @Min(1) @Max(100) int maxFailures,
        @DefaultValue("60s") @DurationMin(seconds = 1) @DurationMax(hours = 24) Duration failureWindow,
        @DefaultValue("100") @Min(1) @Max(1_000_000) int maxFailuresPerSource,
        @DefaultValue("60s") @DurationMin(seconds = 1) @DurationMax(hours = 24) Duration sourceFailureWindow,
        @DefaultValue("") String nonceSecret,
        @DefaultValue("^baresip") List<String> md5OnlyUserAgents) {

    /** An address limit below the account limit would lock a whole address out for one account's stale password. */
    @AssertTrue(message = "pinhole.auth.max-failures-per-source must be at least pinhole.auth.max-failures")
    public boolean isSourceLimitAtLeastAccountLimit() {
        return maxFailuresPerSource >= maxFailures;
    }

    public List<DigestAlgorithm> digestAlgorithms() {
        return algorithms.stream()
                .map(name -> DigestAlgorithm.fromWire(name).orElseThrow(() -> new IllegalArgumentException(
                        "pinhole.auth.algorithms: unsupported algorithm '" + name + "' (use SHA-256 and/or MD5)")))
                .toList();
    }

    public List<java.util.regex.Pattern> md5OnlyPatterns() {
        return md5OnlyUserAgents.stream().filter(p -> !p.isBlank()).map(p -> {
            try {
                return java.util.regex.Pattern.compile(p);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("pinhole.auth.md5-only-user-agents: bad pattern '" + p + "': "
                        + e.getDescription());
            }
        }).toList();
    }

    @Override
    public String toString() {
        return "AuthProperties[algorithms=" + algorithms + ", nonceTtl=" + nonceTtl + ", maxFailures=" + maxFailures
                + ", failureWindow=" + failureWindow + ", maxFailuresPerSource=" + maxFailuresPerSource
                + ", sourceFailureWindow=" + sourceFailureWindow + ", nonceSecret=" + (nonceSecret.isEmpty() ? "random" : "****") + "]";
    }
}
