package io.pinhole.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which part of the call takes a response that came on a fork. */
class ResponseKindTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "100, TRYING",
            "180, PROVISIONAL",
            "181, PROVISIONAL",
            "183, PROVISIONAL",
            "199, PROVISIONAL",
            "200, ANSWER",
            "202, ANSWER",
            "299, ANSWER",
            "302, FAILURE",
            "407, FAILURE",
            "486, FAILURE",
            "503, FAILURE",
            "603, FAILURE",
    })
    void sortsByStatus(int status, ResponseKind expected) {
        assertThat(ResponseKind.of(status)).isEqualTo(expected);
    }
}
