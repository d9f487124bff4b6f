package io.pinhole.proxy.nat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NatDetectorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case                                   | src          | sport | via          | vport | contact      | cport | sdp           | nat
            "public phone, everything matches         | 203.0.113.5  | 5060  | 203.0.113.5  | 5060  | 203.0.113.5  | 5060  | 203.0.113.5   | false",
            "home NAT: private everywhere             | 198.51.100.9 | 40123 | 192.168.1.20 | 5060  | 192.168.1.20 | 5060  | 192.168.1.20  | true",
            "CGNAT address in SDP only                | 198.51.100.9 | 5060  | 198.51.100.9 | 5060  | 198.51.100.9 | 5060  | 100.72.1.2    | true",
            "port rewritten by NAT, addresses public  | 198.51.100.9 | 40123 | 198.51.100.9 | 5060  | 198.51.100.9 | 5060  | 198.51.100.9  | true",
            "same LAN as the proxy: private = source  | 10.0.0.7     | 5060  | 10.0.0.7     | 5060  | 10.0.0.7     | 5060  | 10.0.0.7      | false",
            "host names are no evidence               | 203.0.113.5  | 5060  | pc.example   | 5060  | pc.example   | 5060  | 203.0.113.5   | false",
            "hold address ignored                     | 203.0.113.5  | 5060  | 203.0.113.5  | 5060  | 203.0.113.5  | 5060  | 0.0.0.0       | false",
            "link-local SDP                           | 203.0.113.5  | 5060  | 203.0.113.5  | 5060  | 203.0.113.5  | 5060  | 169.254.3.3   | true",
            "IPv6 ULA behind NAT66                    | 2001:db8::1  | 5060  | fd00::5      | 5060  | fd00::5      | 5060  | fd00::5       | true",
            "IPv6 public matching                     | 2001:db8::1  | 5060  | 2001:db8::1  | 5060  | 2001:db8::1  | 5060  | 2001:db8::1   | false",
            "no Via port means no port evidence       | 203.0.113.5  | 5080  | 203.0.113.5  | -1    | 203.0.113.5  | -1    | 203.0.113.5   | false",
    })
    void detects(String name, String src, int sport, String via, int vport, String contact, int cport, String sdp, boolean nat) {
        NatVerdict verdict = NatDetector.detect(new NatEvidence(src, sport, via, vport, contact, cport, List.of(sdp)));

        assertThat(verdict.behindNat()).as(verdict.toString()).isEqualTo(nat);
        assertThat(verdict.reasons().isEmpty()).isEqualTo(!nat);
    }

    @ParameterizedTest
    @CsvSource({"10.1.2.3,true", "172.16.0.1,true", "172.32.0.1,false", "192.168.0.1,true", "100.64.0.1,true",
            "100.128.0.1,false", "169.254.1.1,true", "8.8.8.8,false", "fe80::1,true", "fc00::1,true", "2001:db8::5,false"})
    void classifiesAddresses(String address, boolean isPrivate) {
        assertThat(AddressClass.isPrivate(AddressClass.literal(address).orElseThrow())).isEqualTo(isPrivate);
    }
}
