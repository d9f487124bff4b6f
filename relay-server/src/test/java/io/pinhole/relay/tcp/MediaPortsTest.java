package io.pinhole.relay.tcp;

import static io.pinhole.relay.config.RelayProperties.UNSET_PORT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

/** Which media ports the relay serves by default, and what a failed bind of each means. */
class MediaPortsTest {

    @Test
    void unsetWebPortsAreHttpOn80AndTlsOn443OnlyWithACertificate() {
        MediaPorts withCertificate = MediaPorts.of(0, UNSET_PORT, true, UNSET_PORT);
        assertThat(withCertificate.http()).isEqualTo(MediaPort.byDefault("pinhole.relay.http-media-port", 80));
        assertThat(withCertificate.tls()).isEqualTo(MediaPort.byDefault("pinhole.relay.tls-port", 443));
        assertThat(withCertificate.tcp().on()).as("plain TCP is off unless set").isFalse();
        assertThat(withCertificate.tlsNote()).isEmpty();

        MediaPorts without = MediaPorts.of(0, UNSET_PORT, false, UNSET_PORT);
        assertThat(without.tls().on()).as("no TLS nobody can trust by default").isFalse();
        assertThat(without.http().port()).isEqualTo(80);
        assertThat(without.tlsNote()).contains("media over TLS and HTTPS off", "pinhole.relay.tls-certificate",
                "tls-private-key", "443");
    }

    @Test
    void setPortsAreExplicitEvenWhenTheyAreTheDefaultsOrOff() {
        MediaPorts p = MediaPorts.of(4571, 443, false, 0);
        assertThat(p.tcp()).isEqualTo(MediaPort.set("pinhole.relay.tcp-port", 4571));
        assertThat(p.tls()).as("set: a self-signed certificate, as before").isEqualTo(MediaPort.set("pinhole.relay.tls-port", 443));
        assertThat(p.http().on()).isFalse();
        assertThat(p.tlsNote()).isEmpty();
    }

    @Test
    void aDefaultPortThatMayNotBeBoundIsSkippedWithAWarningNamingPortCauseAndSetting() {
        BindVerdict v = BindVerdict.of(MediaPort.byDefault("pinhole.relay.http-media-port", 80), "203.0.113.2",
                new BindException("Permission denied"));
        assertThat(v.fatal()).isFalse();
        assertThat(v.message()).contains("203.0.113.2:80", "permission denied", "CAP_NET_BIND_SERVICE",
                "Set pinhole.relay.http-media-port").doesNotContain("\n");
    }

    @Test
    void aDefaultPortInUseIsSkippedToo() {
        // Netty's epoll transport words it so
        BindVerdict v = BindVerdict.of(MediaPort.byDefault("pinhole.relay.tls-port", 443), "127.0.0.1",
                new IOException("bind(..) failed: Address already in use"));
        assertThat(v.fatal()).isFalse();
        assertThat(v.message()).contains("127.0.0.1:443", "in use", "pinhole.relay.tls-port")
                .doesNotContain("CAP_NET_BIND_SERVICE");
    }

    @Test
    void aSetPortThatCannotBeBoundStopsTheRelay() {
        BindVerdict denied = BindVerdict.of(MediaPort.set("pinhole.relay.tls-port", 443), "127.0.0.1",
                new BindException("Permission denied"));
        assertThat(denied.fatal()).isTrue();
        assertThat(denied.message()).startsWith("pinhole.relay.tls-port 443: cannot listen on 127.0.0.1:443")
                .contains("CAP_NET_BIND_SERVICE", "or 0 to turn it off");

        BindVerdict taken = BindVerdict.of(MediaPort.set("pinhole.relay.http-media-port", 8080), "127.0.0.1",
                new BindException("Address already in use"));
        assertThat(taken.fatal()).isTrue();
        assertThat(taken.message()).contains("in use");

        BindVerdict other = BindVerdict.of(MediaPort.set("pinhole.relay.tcp-port", 4571), "192.0.2.1",
                new BindException("Cannot assign requested address"));
        assertThat(other.fatal()).isTrue();
        assertThat(other.message()).contains("Cannot assign requested address");
    }
}
