package io.pinhole.proxy.auth;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pinhole.proxy.directory.DirectoryUser;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DigestAuthenticatorTest {

    /** RFC 7616 §3.9.1: the same inputs give these responses for MD5 and SHA-256. */
    @Test
    void matchesRfc7616Vectors() {
        var c = new DigestCredentials("Mufasa", "http-auth@example.org", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                "/dir/index.html", null, null, "auth", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");

        String md5 = DigestResponse.expected(DigestAlgorithm.MD5,
                DigestAlgorithm.MD5.ha1("Mufasa", "http-auth@example.org", "Circle of Life"), "GET", c);
        String sha = DigestResponse.expected(DigestAlgorithm.SHA_256,
                DigestAlgorithm.SHA_256.ha1("Mufasa", "http-auth@example.org", "Circle of Life"), "GET", c);

        assertThat(md5).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
        assertThat(sha).isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    private final MutableClock clock = new MutableClock();
    private final NonceService nonces = new NonceService("0123456789abcdef0123".getBytes(), Duration.ofSeconds(30), clock);
    private final DirectoryUser alice = new DirectoryUser(7, "a.example", "alice",
            DigestAlgorithm.MD5.ha1("alice", "a.example", "pw"), DigestAlgorithm.SHA_256.ha1("alice", "a.example", "pw"), true);
    private final DigestAuthenticator authenticator = new DigestAuthenticator(nonces, new NonceCounts(clock, Duration.ofMinutes(1)),
            new AuthGuard(clock, 3, Duration.ofMinutes(1), 100, Duration.ofMinutes(1), new SimpleMeterRegistry()),
            (domain, user) -> "alice".equals(user) ? Optional.of(alice) : Optional.empty());

    private DigestCredentials answer(String user, String password, String nonce, String nc, DigestAlgorithm algorithm) {
        var blank = new DigestCredentials(user, "a.example", nonce, "sip:a.example", null, algorithm.wireName(), "auth", nc, "xyz");
        String response = DigestResponse.expected(algorithm, algorithm.ha1(user, "a.example", password), "REGISTER", blank);
        return new DigestCredentials(user, "a.example", nonce, "sip:a.example", response, algorithm.wireName(), "auth", nc, "xyz");
    }

    private AuthOutcome check(DigestCredentials c) {
        return authenticator.authenticate("REGISTER", "a.example", c.username(), "198.51.100.1", List.of(c));
    }

    @Test
    void acceptsBothAlgorithms() {
        assertThat(check(answer("alice", "pw", nonces.issue(), "00000001", DigestAlgorithm.SHA_256)))
                .isInstanceOf(AuthOutcome.Authorized.class);
        assertThat(check(answer("alice", "pw", nonces.issue(), "00000001", DigestAlgorithm.MD5)))
                .isInstanceOf(AuthOutcome.Authorized.class);
    }

    @Test
    void noCredentialsIsChallenged() {
        assertThat(authenticator.authenticate("REGISTER", "a.example", "alice", "x", List.of()))
                .isEqualTo(new AuthOutcome.Challenge(false, "no credentials for realm a.example"));
    }

    @Test
    void wrongPasswordIsChallengedTwiceThenForbidden() {
        assertThat(check(answer("alice", "nope", nonces.issue(), "00000001", DigestAlgorithm.MD5))).isInstanceOf(AuthOutcome.Challenge.class);
        assertThat(check(answer("alice", "nope", nonces.issue(), "00000001", DigestAlgorithm.MD5))).isInstanceOf(AuthOutcome.Challenge.class);
        assertThat(check(answer("alice", "nope", nonces.issue(), "00000001", DigestAlgorithm.MD5))).isInstanceOf(AuthOutcome.Forbidden.class);
        assertThat(check(answer("alice", "pw", nonces.issue(), "00000001", DigestAlgorithm.MD5)))
                .as("blocked until the window passes").isInstanceOf(AuthOutcome.Forbidden.class);

        clock.advance(Duration.ofMinutes(2));

        assertThat(check(answer("alice", "pw", nonces.issue(), "00000001", DigestAlgorithm.MD5))).isInstanceOf(AuthOutcome.Authorized.class);
    }

    @Test
    void staleNonceIsFlaggedStale() {
        String nonce = nonces.issue();
        clock.advance(Duration.ofSeconds(31));

        assertThat(check(answer("alice", "pw", nonce, "00000001", DigestAlgorithm.MD5)))
                .isEqualTo(new AuthOutcome.Challenge(true, "nonce expired"));
    }

    @Test
    void replayedNonceCountIsRefused() {
        String nonce = nonces.issue();
        assertThat(check(answer("alice", "pw", nonce, "00000001", DigestAlgorithm.MD5))).isInstanceOf(AuthOutcome.Authorized.class);

        assertThat(check(answer("alice", "pw", nonce, "00000001", DigestAlgorithm.MD5))).isInstanceOf(AuthOutcome.Challenge.class);
        assertThat(check(answer("alice", "pw", nonce, "00000002", DigestAlgorithm.MD5))).isInstanceOf(AuthOutcome.Authorized.class);
    }

    @Test
    void unknownUserAndMismatchedUserAreForbidden() {
        assertThat(check(answer("mallory", "pw", nonces.issue(), "00000001", DigestAlgorithm.MD5))).isInstanceOf(AuthOutcome.Forbidden.class);
        assertThat(authenticator.authenticate("REGISTER", "a.example", "bob", "x",
                List.of(answer("alice", "pw", nonces.issue(), "00000001", DigestAlgorithm.MD5))))
                .isInstanceOf(AuthOutcome.Forbidden.class);
    }

    @Test
    void missingQopAndForgedNonceAreChallenged() {
        var noQop = new DigestCredentials("alice", "a.example", nonces.issue(), "sip:a.example", "00", "MD5", null, null, null);
        var forged = answer("alice", "pw", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "00000001", DigestAlgorithm.MD5);

        assertThat(check(noQop)).isInstanceOf(AuthOutcome.Challenge.class);
        assertThat(check(forged)).isEqualTo(new AuthOutcome.Challenge(false, "nonce not issued by us"));
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
