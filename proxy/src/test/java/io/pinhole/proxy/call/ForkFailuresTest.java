package io.pinhole.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which failures on a fork are a trunk's challenge to answer, once. */
class ForkFailuresTest {

    @ParameterizedTest(name = "{0}, authenticated {1}, call ended {2} -> {3}")
    @CsvSource({
            "401, false, false, true",
            "407, false, false, true",
            // a second challenge on the same fork: our credentials were refused
            "401, true,  false, false",
            "407, true,  false, false",
            // the caller gave up meanwhile
            "407, false, true,  false",
            // not a challenge
            "403, false, false, false",
            "486, false, false, false",
            "503, false, false, false",
    })
    void answersATrunksFirstChallengeOnly(int status, boolean authenticated, boolean callEnded, boolean expected) {
        assertThat(ForkFailures.answersChallenge(status, authenticated, callEnded)).isEqualTo(expected);
    }
}
