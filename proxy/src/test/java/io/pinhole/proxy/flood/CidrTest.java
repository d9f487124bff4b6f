package io.pinhole.proxy.flood;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "10.0.0.0/8,        10.255.1.2,     true",
            "10.0.0.0/8,        11.0.0.1,       false",
            "192.0.2.7,         192.0.2.7,      true",
            "192.0.2.7,         192.0.2.8,      false",
            "192.0.2.7/32,      192.0.2.7,      true",
            "172.16.0.0/12,     172.31.255.255, true",
            "172.16.0.0/12,     172.32.0.0,     false",
            "192.0.2.128/25,    192.0.2.200,    true",
            "192.0.2.128/25,    192.0.2.127,    false",
            "10.1.2.3/8,        10.9.9.9,       true",   // host bits of the base are ignored
            "0.0.0.0/0,         203.0.113.9,    true",
            "0.0.0.0/0,         2001:db8::1,    false",  // an IPv4 block holds no IPv6 address
            "2001:db8::/32,     2001:db8:ffff::1, true",
            "2001:db8::/32,     2001:db9::1,    false",
            "[2001:db8::1],     2001:db8::1,    true",
            "::/0,              ::1,            true",
    })
    void containsExactlyItsBlock(String block, String address, boolean expected) throws Exception {
        assertThat(Cidr.parse(block).contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "2001:db8::/129", "", "300.1.1.1"})
    void refusesWhatIsNotAnAddressBlock(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverResolvesAHostName() {
        // a host name would need DNS at start-up and could change under us: refused, not looked up
        assertThatThrownBy(() -> Cidr.parse("localhost")).hasMessageContaining("not an IP address");
    }
}
