package io.pinhole.edge.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.edge.media.Transport;
import org.junit.jupiter.api.Test;

class PathDecisionTest {

    private static final RelayPorts PORTS = RelayPorts.DEFAULT;

    @Test
    void udpAnsweredMeansPlainUdp() {
        PathChoice c = PathDecision.choose(new ProbeResult(true, true, true, false), null, "203.0.113.5", PORTS, null);
        assertThat(c.media()).isEqualTo(Transport.UDP);
        assertThat(c.edgeHeader("id1")).isEqualTo("media=udp;udp-out=yes;udp-in=yes;id=id1");
    }

    @Test
    void udpBlockedAndTlsOpenMeansTlsInWords() {
        PathChoice c = PathDecision.choose(new ProbeResult(false, true, true, false), null, "203.0.113.5", PORTS, null);
        assertThat(c.media()).isEqualTo(Transport.TLS);
        assertThat(c.edgeHeader("id1")).isEqualTo("media=tls;udp-out=no;udp-in=no;id=id1");
        assertThat(c.words()).startsWith("UDP is blocked both ways").endsWith("media over TLS to relay 203.0.113.5:443");
    }

    @Test
    void onlyHttpThroughTheProxyMeansHttpViaProxy() {
        PathChoice c = PathDecision.choose(new ProbeResult(false, false, false, true), null, "203.0.113.5", PORTS,
                "10.0.0.1:8888");
        assertThat(c.media()).isEqualTo(Transport.HTTP);
        assertThat(c.viaHttpProxy()).isTrue();
        assertThat(c.words()).contains("TLS to 203.0.113.5:443 is blocked too")
                .endsWith("media over HTTP to relay 203.0.113.5:80 through the HTTP proxy 10.0.0.1:8888");
    }

    @Test
    void directHttpIsPreferredOverTheProxy() {
        PathChoice c = PathDecision.choose(new ProbeResult(false, false, true, true), null, "r", PORTS, "p:1");
        assertThat(c.viaHttpProxy()).isFalse();
    }

    @Test
    void nothingOutIsSaidAndStillRegistersAsTls() {
        PathChoice c = PathDecision.choose(new ProbeResult(false, false, false, false), null, "r", PORTS, null);
        assertThat(c.usable()).isFalse();
        assertThat(c.media()).isEqualTo(Transport.TLS);
        assertThat(c.words()).contains("no media path out");
    }

    @Test
    void forcedTransportWinsAndSaysWhenTheProbeDisagrees() {
        PathChoice c = PathDecision.choose(new ProbeResult(true, false, false, false), Transport.HTTP, "r", PORTS, null);
        assertThat(c.media()).isEqualTo(Transport.HTTP);
        assertThat(c.edgeHeader("x")).isEqualTo("media=http;udp-out=yes;udp-in=yes;id=x");
        assertThat(c.words()).contains("as --transport says (the probe found it blocked)");
    }

    @Test
    void udpSeenButUnansweredMeansUdpUpAndTlsDown() {
        PathChoice c = PathDecision.choose(new ProbeResult(false, true, true, true, false), null, "203.0.113.5", PORTS,
                null);
        assertThat(c.media()).isEqualTo(Transport.TLS);
        assertThat(c.udpUpstream()).isTrue();
        assertThat(c.edgeHeader("id1")).isEqualTo("media=tls;udp-out=yes;udp-in=no;id=id1;up=udp");
        assertThat(c.words()).isEqualTo("UDP gets out but not back in (relay 203.0.113.5:3478 saw our STUN request;"
                + " its answer never arrived); media up over UDP to relay 203.0.113.5, down over TLS to relay"
                + " 203.0.113.5:443");
    }

    @Test
    void udpSeenWithOnlyTheProxyOutMeansUdpUpAndHttpDownThroughIt() {
        PathChoice c = PathDecision.choose(new ProbeResult(false, true, false, false, true), null, "r", PORTS, "p:1");
        assertThat(c.media()).isEqualTo(Transport.HTTP);
        assertThat(c.udpUpstream()).isTrue();
        assertThat(c.viaHttpProxy()).isTrue();
        assertThat(c.edgeHeader("x")).isEqualTo("media=http;udp-out=yes;udp-in=no;id=x;up=udp");
        assertThat(c.words()).endsWith("down over HTTP to relay r:80 through the HTTP proxy p:1");
    }

    @Test
    void aForcedTransportCarriesBothDirections() {
        PathChoice c = PathDecision.choose(new ProbeResult(false, true, true, true, false), Transport.TLS, "r", PORTS,
                null);
        assertThat(c.udpUpstream()).isFalse();
        assertThat(c.edgeHeader("x")).isEqualTo("media=tls;udp-out=yes;udp-in=no;id=x");
    }
}
