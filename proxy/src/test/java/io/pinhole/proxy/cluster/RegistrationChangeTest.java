package io.pinhole.proxy.cluster;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrationChangeTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "42                   | user 42",
            "' 7 '                | user 7",
            "0                    | user 0",
            "9223372036854775807  | user 9223372036854775807",
            "*                    | all",
            "9223372036854775808  | unreadable",  // past a bigint: never a user id
            "''                   | unreadable",
            "-3                   | unreadable",
            "4 2                  | unreadable",
            "INSERT               | unreadable",   // V2's route payload style: not ours
            "42;DROP              | unreadable",
            "12345678901234567890 | unreadable"})
    void readsPayload(String payload, String expected) {
        assertThat(describe(RegistrationChange.parse(payload))).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullSource
    void nullIsUnreadable(String payload) {
        assertThat(RegistrationChange.parse(payload)).isEmpty();
    }

    private static String describe(Optional<RegistrationChange> change) {
        if (change.isEmpty()) {
            return "unreadable";
        }
        return change.get() instanceof RegistrationChange.User user ? "user " + user.userId() : "all";
    }
}
