package io.pinhole.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.proxy.call.Forker.AfterFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a callee leg goes once every branch of it has failed (RFC 3263 §4.3, then the redirect Contacts). */
class AfterFailureTest {

    @ParameterizedTest(name = "{0}, hop left {1}, target left {2} -> {3}")
    @CsvSource({
            // a timeout or 503 tries the same target's next hop first
            "408, true,  true,  NEXT_HOP",
            "503, true,  false, NEXT_HOP",
            // other failures do not: a hop that answered 486 speaks for the whole target
            "486, true,  true,  NEXT_TARGET",
            "404, true,  false, ANSWER",
            // no hop left: the redirect server's next Contact
            "408, false, true,  NEXT_TARGET",
            "503, false, true,  NEXT_TARGET",
            "480, false, true,  NEXT_TARGET",
            "599, false, true,  NEXT_TARGET",
            // a 6xx declines everywhere; a 487 means the caller cancelled
            "600, false, true,  ANSWER",
            "603, false, true,  ANSWER",
            "487, false, true,  ANSWER",
            // nothing left to try
            "408, false, false, ANSWER",
            "486, false, false, ANSWER",
    })
    void movesOnOrAnswers(int status, boolean hopLeft, boolean targetLeft, AfterFailure expected) {
        assertThat(Forker.afterFailure(status, hopLeft, targetLeft)).isEqualTo(expected);
    }
}
