package io.pinhole.proxy.auth;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pinhole.proxy.directory.DirectoryUser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15 through the authenticator: a stale password locks out its account at its address, not the address. */
class DigestAuthenticatorLockoutTest {

    private static final String REALM = "office.example";
    private static final String OFFICE = "203.0.113.10";
    private static final AuthOutcome LOCKED = new AuthOutcome.Forbidden(DigestAuthenticator.LOCKED_OUT);

    private final DigestAuthenticatorTest.MutableClock clock = new DigestAuthenticatorTest.MutableClock();
    private final NonceService nonces = new NonceService("0123456789abcdef0123".getBytes(), Duration.ofSeconds(30), clock);
    private final Map<String, DirectoryUser> users = Map.of("alice", user(1, "alice"), "bob", user(2, "bob"));

    private static DirectoryUser user(long id, String name) {
        return new DirectoryUser(id, REALM, name, DigestAlgorithm.MD5.ha1(name, REALM, "pw"),
                DigestAlgorithm.SHA_256.ha1(name, REALM, "pw"), true);
    }

    private DigestAuthenticator authenticator(int maxFailuresPerSource) {
        return new DigestAuthenticator(nonces, new NonceCounts(clock, Duration.ofMinutes(1)),
                new AuthGuard(clock, 3, Duration.ofSeconds(60), maxFailuresPerSource, Duration.ofSeconds(60),
                        new SimpleMeterRegistry()),
                (domain, name) -> Optional.ofNullable(users.get(name)));
    }

    private AuthOutcome register(DigestAuthenticator authenticator, String user, String password, String source) {
        String nonce = nonces.issue();
        var blank = new DigestCredentials(user, REALM, nonce, "sip:" + REALM, null, "MD5", "auth", "00000001", "c1");
        String response = DigestResponse.expected(DigestAlgorithm.MD5, DigestAlgorithm.MD5.ha1(user, REALM, password),
                "REGISTER", blank);
        return authenticator.authenticate("REGISTER", REALM, user, source, List.of(
                new DigestCredentials(user, REALM, nonce, "sip:" + REALM, response, "MD5", "auth", "00000001", "c1")));
    }

    @Test
    void aStalePasswordLocksOutItsAccountAtItsAddressOnly() {
        DigestAuthenticator authenticator = authenticator(100);

        assertThat(register(authenticator, "alice", "old", OFFICE)).isInstanceOf(AuthOutcome.Challenge.class);
        assertThat(register(authenticator, "alice", "old", OFFICE)).isInstanceOf(AuthOutcome.Challenge.class);
        assertThat(register(authenticator, "alice", "old", OFFICE)).isEqualTo(LOCKED);
        assertThat(register(authenticator, "alice", "pw", OFFICE)).as("alice, even with the right password").isEqualTo(LOCKED);

        assertThat(register(authenticator, "bob", "pw", OFFICE)).as("bob behind the same NAT")
                .isInstanceOf(AuthOutcome.Authorized.class);
        assertThat(register(authenticator, "alice", "pw", "198.51.100.20")).as("alice from elsewhere")
                .isInstanceOf(AuthOutcome.Authorized.class);

        clock.advance(Duration.ofSeconds(60));
        assertThat(register(authenticator, "alice", "pw", OFFICE)).as("after the window")
                .isInstanceOf(AuthOutcome.Authorized.class);
    }

    @Test
    void anAddressGuessingManyAccountsIsLockedOutForAll() {
        DigestAuthenticator authenticator = authenticator(10);
        for (int i = 0; i < 9; i++) {
            assertThat(register(authenticator, "user" + i, "guess", OFFICE)).as("unknown user %d", i)
                    .isEqualTo(new AuthOutcome.Forbidden("Forbidden"));
        }
        assertThat(register(authenticator, "alice", "guess", OFFICE)).as("the tenth wrong answer from the address")
                .isEqualTo(LOCKED);

        assertThat(register(authenticator, "bob", "pw", OFFICE)).isEqualTo(LOCKED);
        assertThat(register(authenticator, "bob", "pw", "198.51.100.20")).isInstanceOf(AuthOutcome.Authorized.class);
    }
}
