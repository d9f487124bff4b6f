package io.pinhole.proxy.session;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionTimerPropertiesTest {

    @ParameterizedTest(name = "{0}/{1}/{2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "1800s | 90s  | 90s  | ok",
            "0s    | 90s  | 90s  | ok",
            "10s   | 10s  | 10s  | ok",
            "1800s | 60s  | 90s  | pinhole.calls.min-se must be at least 90s",
            "60s   | 90s  | 90s  | pinhole.calls.session-expires must be 0 (off) or at least min-se (90s)",
            "1800s | 90s  | 120s | pinhole.calls.min-se-floor can only lower",
            "1800s | 90s  | 0s   | pinhole.calls.min-se-floor must be positive",
            "1800s | 90.5s| 90s  | pinhole.calls.min-se must be whole seconds",
            "-1s   | 90s  | 90s  | pinhole.calls.session-expires must be 0 or positive",
            "90000s| 90s  | 90s  | pinhole.calls.session-expires must be at most 86400s",
    })
    void validatesNamingTheProperty(String sessionExpires, String minSe, String floor, String expected) {
        Duration se = Duration.parse("PT" + sessionExpires.toUpperCase());
        Duration min = Duration.parse("PT" + minSe.toUpperCase());
        Duration fl = Duration.parse("PT" + floor.toUpperCase());
        if ("ok".equals(expected)) {
            assertThat(new SessionTimerProperties(se, min, fl).enabled()).isEqualTo(!se.isZero());
        } else {
            assertThatThrownBy(() -> new SessionTimerProperties(se, min, fl))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(expected);
        }
    }
}
