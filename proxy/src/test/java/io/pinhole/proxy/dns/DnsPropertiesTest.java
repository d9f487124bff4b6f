package io.pinhole.proxy.dns;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnsPropertiesTest {

    private static DnsProperties with(List<String> servers) {
        return new DnsProperties(servers, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(4),
                Duration.ofSeconds(60), 10_000, Duration.ofSeconds(60));
    }

    @Test
    void serversAreAddressesWithOptionalPorts() {
        assertThat(with(List.of("192.0.2.53", " 127.0.0.1:5353 ", "[2001:db8::53]:5300", "2001:db8::35")).serverAddresses())
                .containsExactly(new InetSocketAddress("192.0.2.53", 53), new InetSocketAddress("127.0.0.1", 5353),
                        new InetSocketAddress("2001:db8::53", 5300), new InetSocketAddress("2001:db8::35", 53));
    }

    @Test
    void emptyMeansTheSystemResolvers() {
        assertThat(with(List.of()).serverAddresses()).isEmpty();
        assertThat(with(List.of("")).servers()).isEmpty();
    }

    @Test
    void aNameOrBadPortFailsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> with(List.of("dns.example"))).hasMessage(
                "pinhole.dns.servers: want an IP address with an optional port, got dns.example");
        assertThatThrownBy(() -> with(List.of("192.0.2.53:0"))).hasMessageStartingWith("pinhole.dns.servers");
        assertThatThrownBy(() -> with(List.of("192.0.2.53:x"))).hasMessageStartingWith("pinhole.dns.servers");
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new DnsProperties(List.of(), Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(4),
                Duration.ofSeconds(60), 10, Duration.ofSeconds(60))).hasMessageContaining("pinhole.dns.timeout");
        assertThatThrownBy(() -> new DnsProperties(List.of(), Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(4), Duration.ofSeconds(60), 0, Duration.ofSeconds(60)))
                .hasMessageContaining("pinhole.dns.cache-size");
    }
}
