package io.pinhole.proxy.probe;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FilteringVerdictTest {

    @ParameterizedTest(name = "NAT={0} flow answered={1} unsolicited answered={2} -> {3}")
    @CsvSource({
            "true,  true,  true,  PORT_INDEPENDENT,           got through the NAT",
            "true,  false, true,  PORT_INDEPENDENT,           got through the NAT",
            "true,  true,  false, ADDRESS_AND_PORT_DEPENDENT, only the registration flow",
            "true,  false, false, UNKNOWN,                    answered neither",
            "false, true,  true,  NONE,                       no NAT",
            "false, true,  false, ADDRESS_AND_PORT_DEPENDENT, unsolicited UDP from another port is dropped",
            "false, false, false, UNKNOWN,                    may ignore OPTIONS",
    })
    void readsTheTwoAnswers(boolean nat, boolean onFlow, boolean unsolicited, Filtering expected, String reason) {
        FilteringVerdict.Result result = FilteringVerdict.of(nat, onFlow, unsolicited);

        assertThat(result.filtering()).isEqualTo(expected);
        assertThat(result.reason()).contains(reason);
    }
}
