package io.pinhole.proxy.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Nonce counts with real nonces on a fake clock: replays refused, memory bounded. */
class NonceCountsTest {

    private static final Duration TTL = Duration.ofSeconds(300);

    private final DigestAuthenticatorTest.MutableClock clock = new DigestAuthenticatorTest.MutableClock();
    private final NonceService nonces = new NonceService("0123456789abcdef0123".getBytes(), TTL, clock);

    @Test
    void theIssueTimeIsReadBackFromTheNonce() {
        long now = clock.millis();
        assertThat(NonceService.issuedAt(nonces.issue())).isEqualTo(now);
        clock.advance(Duration.ofMillis(12_345));
        assertThat(NonceService.issuedAt(nonces.issue())).isEqualTo(now + 12_345);
        assertThat(NonceService.issuedAt("short")).isEqualTo(Long.MIN_VALUE);
        assertThat(NonceService.issuedAt("!!!!!!!!!!!!!!!!")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aCountIsAcceptedOnlyAboveTheHighestSeenForItsNonce() {
        NonceCounts counts = new NonceCounts(clock, TTL);
        String a = nonces.issue();
        String b = nonces.issue();
        assertThat(counts.accept(a, 1)).isTrue();
        assertThat(counts.accept(a, 1)).as("replayed").isFalse();
        assertThat(counts.accept(b, 1)).as("another nonce").isTrue();
        assertThat(counts.accept(a, 3)).isTrue();
        assertThat(counts.accept(a, 2)).isFalse();
        assertThat(counts.size()).isEqualTo(2);
    }

    @Test
    void aCountIsKeptAsLongAsItsNonceIsValidAndForgottenAfter() {
        NonceCounts counts = new NonceCounts(clock, TTL);
        String nonce = nonces.issue();
        clock.advance(TTL.minusSeconds(1));
        assertThat(counts.accept(nonce, 1)).isTrue();
        clock.advance(Duration.ofSeconds(1)); // exactly the lifetime old: still VALID for the nonce service
        assertThat(nonces.check(nonce)).isEqualTo(NonceService.Verdict.VALID);
        counts.purgeExpired();
        assertThat(counts.accept(nonce, 1)).as("replay within the lifetime").isFalse();

        clock.advance(TTL.dividedBy(NonceCounts.GENERATIONS).plusSeconds(1));
        assertThat(nonces.check(nonce)).isEqualTo(NonceService.Verdict.STALE);
        counts.purgeExpired();
        assertThat(counts.size()).as("stale for the nonce service: its count can go").isZero();
    }

    /** 2,000 REGISTERs a second, each with a nonce of its own, for twice the nonce lifetime. */
    @Test
    void atARegistrationRateTheCountsHeldAreTheLiveNoncesOnly() {
        NonceCounts counts = new NonceCounts(clock, TTL);
        for (int second = 0; second < 600; second++) {
            for (int i = 0; i < 2_000; i++) {
                assertThat(counts.accept(nonces.issue(), 1)).isTrue();
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(counts.size()).as("those issued within the lifetime and one generation more")
                .isBetween(600_000, 2_000 * 376);
    }

    @Test
    void pastItsBoundTheOldestGoEarlyAndTheirNoncesAreRefusedNotReplayable() {
        NonceCounts counts = new NonceCounts(clock, TTL, 1_000);
        String old = nonces.issue();
        assertThat(counts.accept(old, 1)).isTrue();
        for (int generation = 1; generation <= 3; generation++) {
            clock.advance(TTL.dividedBy(NonceCounts.GENERATIONS));
            for (int i = 0; i < 400; i++) {
                assertThat(counts.accept(nonces.issue(), 1)).isTrue();
            }
        }
        assertThat(counts.size()).isLessThanOrEqualTo(1_000);
        assertThat(nonces.check(old)).isEqualTo(NonceService.Verdict.VALID);
        assertThat(counts.accept(old, 1)).as("dropped early: a replay must not pass as a first use").isFalse();
        assertThat(counts.accept(old, 2)).as("nor a higher count: its client gets a fresh nonce").isFalse();
        assertThat(counts.accept(nonces.issue(), 1)).as("fresh nonces still work").isTrue();
    }
}
