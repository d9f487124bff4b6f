package io.pinhole.proxy.probe;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MappingObserverTest {

    @ParameterizedTest(name = "NAT={0} contact port {1} source port {2} -> {3}")
    @CsvSource({
            "false, 5060,  5060,  NONE,                 no NAT",
            "false, 5060,  40000, NONE,                 no NAT",
            "true,  5060,  5060,  ENDPOINT_INDEPENDENT, kept the phone's port 5060",
            "true,  -1,    5060,  ENDPOINT_INDEPENDENT, kept the phone's port 5060",
            "true,  5062,  5062,  ENDPOINT_INDEPENDENT, port-preserving",
            "true,  5060,  41234, UNKNOWN,              changed port 5060 to 41234",
            "true,  -1,    1024,  UNKNOWN,              changed port 5060 to 1024",
    })
    void readsTheMappingFromWhatTheNatDidToThePort(boolean nat, int contactPort, int sourcePort, Mapping expected,
                                                   String reason) {
        MappingObserver.Observation seen = MappingObserver.observe(nat, contactPort, sourcePort);

        assertThat(seen.mapping()).isEqualTo(expected);
        assertThat(seen.reason()).contains(reason);
    }
}
