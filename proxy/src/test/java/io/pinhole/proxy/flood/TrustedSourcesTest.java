package io.pinhole.proxy.flood;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedSourcesTest {

    @Test
    void trustsTheConfiguredBlocksAndTheBindAndAdvertisedAddresses() throws Exception {
        TrustedSources trusted = TrustedSources.of(List.of("10.0.0.0/8", " 192.0.2.7 ", ""), "127.0.0.1", "198.51.100.5");

        assertThat(trusted.test(InetAddress.getByName("10.20.30.40"))).isTrue();
        assertThat(trusted.test(InetAddress.getByName("192.0.2.7"))).isTrue();
        assertThat(trusted.test(InetAddress.getByName("127.0.0.1"))).as("the bind address").isTrue();
        assertThat(trusted.test(InetAddress.getByName("198.51.100.5"))).as("the advertised address").isTrue();
        assertThat(trusted.test(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(trusted.test(InetAddress.getByName("192.0.2.8"))).isFalse();
    }

    @Test
    void onTheWildcardAddressEveryInterfaceAddressIsOurs() throws Exception {
        TrustedSources trusted = TrustedSources.of(List.of(), "0.0.0.0", "");

        assertThat(trusted.test(InetAddress.getByName("127.0.0.1"))).as("loopback is an interface address").isTrue();
        assertThat(trusted.test(InetAddress.getByName("127.0.0.2"))).as("only lo's own address, not its block").isFalse();
        assertThat(trusted.test(InetAddress.getByName("198.51.100.250"))).isFalse();
    }

    @Test
    void aBadBlockFailsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> TrustedSources.of(List.of("10.0.0.0/40"), "127.0.0.1", ""))
                .hasMessageContaining("pinhole.flood.trusted-sources").hasMessageContaining("10.0.0.0/40");
    }
}
