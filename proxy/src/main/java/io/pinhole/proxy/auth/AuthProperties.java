package io.pinhole.proxy.auth;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
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
 * @param maxFailures  wrong answers (per user and source address) before 403
 * @param failureWindow how long failures are remembered
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
        @DefaultValue("60s") Duration failureWindow,
        @DefaultValue("") String nonceSecret,
        @DefaultValue("^baresip") List<String> md5OnlyUserAgents) {

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
                + ", failureWindow=" + failureWindow + ", nonceSecret=" + (nonceSecret.isEmpty() ? "random" : "****") + "]";
    }
}
