package io.pinhole.proxy.flood;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** User-Agents as the RI parses them, against the default patterns. */
class ScannerAgentsTest {

    private static final List<String> DEFAULTS = List.of("friendly-scanner", "sipvicious", "sipcli", "sip-scan",
            "VaxSIPUserAgent", "iWar", "SIVuS", "sundayddr", "pplsip");

    private final ScannerAgents scanners = new ScannerAgents(DEFAULTS);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "friendly-scanner                      | friendly-scanner",
            "Friendly-Scanner                      | friendly-scanner",
            "sipvicious 0.3.4                      | sipvicious",
            "SIPVicious-OSS/0.3.4                  | sipvicious",
            "sipcli/v1.8                           | sipcli",
            "sip-scan                              | sip-scan",
            "VaxSIPUserAgent/3.1                   | VaxSIPUserAgent",
            "iWar                                  | iWar",
            "SIVuS Scanner 1.09                    | SIVuS",
            "sundayddr                             | sundayddr",
            "pplsip                                | pplsip",
            "Mozilla/5.0 (friendly-scanner)        | friendly-scanner",
    })
    void findsKnownScanners(String userAgent, String pattern) {
        assertThat(scanners.match(Requests.options("192.0.2.10", "User-Agent: " + userAgent))).isEqualTo(pattern);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Yealink SIP-T46S 66.86.0.15",
            "baresip v1.0.0 (x86_64/linux)",
            "SIPp",
            "Linphone/5.2.0 (belle-sip/5.2.0)",
            "Asterisk PBX 20.5.0",
            "Grandstream GXP2170 1.0.11.23",
            "friendly",
    })
    void letsOrdinaryPhonesThrough(String userAgent) {
        assertThat(scanners.match(Requests.options("192.0.2.10", "User-Agent: " + userAgent))).isNull();
    }

    @Test
    void aRequestWithoutUserAgentIsNoScanner() {
        assertThat(scanners.match(Requests.options("192.0.2.10", null))).isNull();
    }

    @Test
    void noPatternsNoCheck() {
        assertThat(new ScannerAgents(List.of(" ", "")).match(Requests.options("192.0.2.10", "User-Agent: friendly-scanner")))
                .isNull();
    }
}
