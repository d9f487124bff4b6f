package io.pinhole.edge.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DigestAnswerTest {

    private final Credential alice = new Credential("Mufasa", "testrealm.host", "Circle Of Life");

    @Test
    void answersRfc2617ExampleWithQopAuth() {
        // RFC 2617 section 3.5 (computed with method GET and its uri)
        String answer = DigestAnswer.answer(List.of("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                        + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""),
                alice, "GET", "/dir/index.html", "0a4f113b", 1);
        assertThat(answer).contains("response=\"6629fae49393a05397450978507c4ef1\"", "nc=00000001",
                "cnonce=\"0a4f113b\"", "qop=auth", "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", "algorithm=MD5");
    }

    @Test
    void prefersSha256WhenBothAreOffered() {
        String answer = DigestAnswer.answer(List.of("Digest realm=\"r\", nonce=\"n\", algorithm=MD5, qop=\"auth\"",
                "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256, qop=\"auth\""), alice, "REGISTER", "sip:r", "c", 1);
        assertThat(answer).contains("algorithm=SHA-256");
    }

    @Test
    void noDigestChallengeNoAnswer() {
        assertThat(DigestAnswer.answer(List.of("Basic realm=\"x\""), alice, "REGISTER", "sip:r", "c", 1)).isNull();
    }

    @Test
    void credentialNeverShowsItsPassword() {
        assertThat(alice.toString()).doesNotContain("Circle");
    }
}
