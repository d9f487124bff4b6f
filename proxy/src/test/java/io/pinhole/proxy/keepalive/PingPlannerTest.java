package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.nat.NatVerdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PingPlannerTest {

    @ParameterizedTest(name = "{0} behind NAT={1} natOnly={2} -> {3}")
    @CsvSource({
            "UDP, true,  true,  OPTIONS, behind NAT: Contact address 10.0.0.2 is private",
            "udp, true,  true,  OPTIONS, OPTIONS over UDP",
            "TCP, true,  true,  CRLF,    CRLF over TCP",
            "TLS, true,  true,  CRLF,    CRLF over TLS",
            "UDP, false, true,  NONE,    not behind NAT",
            "TCP, false, true,  NONE,    not behind NAT",
            "UDP, false, false, OPTIONS, every binding is pinged",
            "TLS, false, false, CRLF,    every binding is pinged",
            "SCTP, true, true,  NONE,    no keepalive over SCTP",
            "'',  true,  false, NONE,    unknown transport",
    })
    void plansByTransportAndNat(String transport, boolean behindNat, boolean natOnly, PingMethod expected, String reason) {
        NatVerdict nat = behindNat ? new NatVerdict(true, List.of("Contact address 10.0.0.2 is private, packet came from 203.0.113.5"))
                : NatVerdict.PUBLIC;

        PingPlan plan = PingPlanner.plan(transport, nat, natOnly, false);

        assertThat(plan.method()).isEqualTo(expected);
        assertThat(plan.pinged()).isEqualTo(expected != PingMethod.NONE);
        assertThat(plan.reason()).contains(reason);
    }

    @org.junit.jupiter.api.Test
    void outboundPhonesKeepTheirOwnFlowOpen() {
        NatVerdict nat = new NatVerdict(true, List.of("Contact address 10.0.0.2 is private"));
        for (String transport : List.of("UDP", "TCP", "TLS")) {
            PingPlan plan = PingPlanner.plan(transport, nat, true, true);
            assertThat(plan.method()).isEqualTo(PingMethod.NONE);
            assertThat(plan.reason()).contains("RFC 5626 outbound");
        }
    }
}
