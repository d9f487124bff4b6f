package io.pinhole.wire.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

    @ParameterizedTest
    @CsvSource({
            "192.0.2.1, 192.0.2.1",
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            "010.0.0.1, 10.0.0.1",  // leading zeros are decimal, as the JDK reads them
    })
    void parsesIpv4Literals(String text, String address) {
        assertThat(IpLiteral.parse(text)).isInstanceOf(Inet4Address.class)
                .satisfies(a -> assertThat(a.getHostAddress()).isEqualTo(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "2001:db8::7", "[2001:db8::7]", "fe80::1%1", "::ffff:192.0.2.1", "2001:DB8::A"})
    void parsesIpv6Literals(String text) {
        assertThat(IpLiteral.parse(text)).isNotNull();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"localhost", "phone.example.com", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4 ",
            "1.2.3.1000", "[192.0.2.1]", "host:5060", "example.com:5060", "[::1", "1:2", "g::1", "[]", "::1]", "%eth0"})
    void refusesWhatIsNotALiteralWithoutAskingDns(String text) {
        // every one of these would reach a resolver through InetAddress.getByName; here none does
        assertThat(IpLiteral.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"[192.0.2.1], 192.0.2.1", "[::1], 0:0:0:0:0:0:0:1", "192.0.2.1, 192.0.2.1", "::1, 0:0:0:0:0:0:0:1"})
    void parsesBracketedHostsAsUrisWriteThem(String host, String address) {
        assertThat(IpLiteral.parseHost(host).getHostAddress()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[phone.example.com]", "[]", "[256.0.0.1]", "phone.example.com"})
    void refusesBracketedNames(String host) {
        assertThat(IpLiteral.parseHost(host)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"1.2.3.4, true", "1.2.3.256, false", "1.2.3, false", "a.b.c.d, false", "1.2.3.4., false", ".1.2.3.4, false"})
    void tellsDottedQuads(String text, boolean ipv4) {
        assertThat(IpLiteral.isIpv4(text)).isEqualTo(ipv4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "[::1]"})
    void givesIpv6ForColons(String text) {
        assertThat(IpLiteral.parse(text)).isInstanceOf(Inet6Address.class);
    }
}
