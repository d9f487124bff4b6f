package io.pinhole.proxy.probe;

import io.pinhole.proxy.media.Ability;
import io.pinhole.proxy.media.LegCapabilities;
import io.pinhole.proxy.media.NatBehaviour;
import io.pinhole.proxy.nat.NatVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ProbedLegsTest {

    private static final NatVerdict NAT = new NatVerdict(true, List.of("Contact address 10.0.0.2 is private"));

    @ParameterizedTest(name = "{0} {1} {2} -> sends {3}, receives {4}, mapping {5}, filtering {6}")
    @CsvSource({
            "true,  ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT, YES,     NO,      ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT",
            "true,  ENDPOINT_INDEPENDENT, PORT_INDEPENDENT,           YES,     YES,     ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT",
            "true,  UNKNOWN,              ADDRESS_AND_PORT_DEPENDENT, YES,     NO,      UNKNOWN,              ADDRESS_AND_PORT_DEPENDENT",
            "true,  UNKNOWN,              UNKNOWN,                    YES,     UNKNOWN, UNKNOWN,              UNKNOWN",
            "true,  NONE,                 NONE,                       YES,     YES,     ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT",
            "false, ENDPOINT_INDEPENDENT, UNKNOWN,                    UNKNOWN, UNKNOWN, ENDPOINT_INDEPENDENT, UNKNOWN",
    })
    void translatesTheProbeConservatively(boolean sendsUdp, Mapping mapping, Filtering filtering, Ability sends,
                                          Ability receives, NatBehaviour plannerMapping, NatBehaviour plannerFiltering) {
        Capabilities probed = new Capabilities(sendsUdp, mapping, filtering, sendsUdp ? "UDP" : "TCP", "test",
                Instant.EPOCH);

        LegCapabilities leg = ProbedLegs.capabilities(NAT, probed.transport(), Optional.of(probed));

        assertThat(leg.sendsUdp()).isEqualTo(sends);
        assertThat(leg.receivesUdp()).isEqualTo(receives);
        assertThat(leg.mapping()).isEqualTo(plannerMapping);
        assertThat(leg.filtering()).isEqualTo(plannerFiltering);
        assertThat(leg.nat()).isEqualTo(NAT);
    }

    @Test
    void aFlowNotProbedIsNotProbedForThePlanner() {
        assertThat(ProbedLegs.capabilities(NAT, "UDP", Optional.empty())).isEqualTo(LegCapabilities.notProbed(NAT,
                java.util.Set.of("UDP")));
    }
}
