package io.pinhole.proxy.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NonceServiceTest {

    private final Clock frozen = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private final NonceService nonces = new NonceService("0123456789abcdef0123".getBytes(), Duration.ofSeconds(30), frozen);

    @Test
    void noncesIssuedInTheSameMillisecondDifferAndAreValid() {
        Set<String> issued = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String nonce = nonces.issue();
            assertThat(nonces.check(nonce)).isEqualTo(NonceService.Verdict.VALID);
            issued.add(nonce);
        }
        assertThat(issued).hasSize(10_000);
    }

    @Test
    void aNonceWithAnyByteChangedIsInvalid() {
        byte[] raw = Base64.getUrlDecoder().decode(nonces.issue());
        for (int i = 0; i < raw.length; i++) {
            byte[] forged = raw.clone();
            forged[i] ^= 0x01;
            assertThat(nonces.check(Base64.getUrlEncoder().withoutPadding().encodeToString(forged)))
                    .as("byte %d changed", i).isEqualTo(NonceService.Verdict.INVALID);
        }
    }

    @Test
    void anotherSecretDoesNotAcceptOurNonces() {
        NonceService other = new NonceService("another-secret-of-20b".getBytes(), Duration.ofSeconds(30), frozen);
        assertThat(other.check(nonces.issue())).isEqualTo(NonceService.Verdict.INVALID);
    }

    @Test
    void checksFromManyThreadsAgree() throws Exception {
        String nonce = nonces.issue();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = pool.invokeAll(java.util.Collections.nCopies(200, () -> nonces.check(nonce)));
            for (var result : results) {
                assertThat(result.get()).isEqualTo(NonceService.Verdict.VALID);
            }
        } finally {
            pool.shutdown();
        }
    }
}
