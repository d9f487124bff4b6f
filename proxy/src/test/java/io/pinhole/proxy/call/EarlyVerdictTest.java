package io.pinhole.proxy.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a fork's provisional response leads to: a held-back CANCEL, and whether the caller hears it. */
class EarlyVerdictTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ringing call, first 180                    | false | false | ROUTING | false | false | true",
            "ringing call, another 18x                  | false | true  | EARLY   | false | false | true",
            "fork to cancel, its first 18x: CANCEL now  | true  | false | EARLY   | true  | true  | false",
            "fork to cancel, CANCEL already sent        | true  | true  | EARLY   | true  | false | false",
            "another fork answered: caller not told     | false | true  | EARLY   | true  | false | false",
            "call ended: caller not told                | false | false | ENDED   | false | false | false",
            "call answered by this fork's 2xx first     | false | true  | ANSWERED| true  | false | false",
    })
    void decides(String why, boolean cancelPending, boolean hadProvisional, Call.State state, boolean winnerChosen,
                 boolean cancelNow, boolean forward) {
        assertThat(EarlyVerdict.of(cancelPending, hadProvisional, state, winnerChosen))
                .isEqualTo(new EarlyVerdict(cancelNow, forward));
    }
}
