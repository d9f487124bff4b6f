package io.pinhole.proxy.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeSdpTest {

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n"
            + "m=audio 30000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\nm=video 30002 RTP/AVP 96\r\n";
    private static final StreamGrant GRANT = new StreamGrant("AbC-_9", 4571, 443, 8080);

    private static LegPlan leg(MediaPath path, MediaTransport transport) {
        return new LegPlan("callee", true, path, path, "r", transport);
    }

    @Test
    void aTlsLegGetsOneSessionLineBeforeTheFirstMediaLine() {
        String out = EdgeSdp.towards(SDP, leg(MediaPath.RELAY_TCP, MediaTransport.TLS), GRANT);

        assertThat(out).isEqualTo("v=0\r\no=- 1 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n"
                + "a=pinhole-media:tls 443 AbC-_9\r\n"
                + "m=audio 30000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\nm=video 30002 RTP/AVP 96\r\n");
    }

    @Test
    void eachTransportNamesItsPort() {
        assertThat(EdgeSdp.towards(SDP, leg(MediaPath.RELAY_TCP, MediaTransport.TCP), GRANT))
                .contains("a=pinhole-media:tcp 4571 AbC-_9\r\n");
        assertThat(EdgeSdp.towards(SDP, leg(MediaPath.RELAY_HTTP, MediaTransport.HTTP), GRANT))
                .contains("a=pinhole-media:http 8080 AbC-_9\r\n");
    }

    @Test
    void aReOfferBuiltFromOurSdpGetsTheLineReplacedNotDoubled() {
        String once = EdgeSdp.towards(SDP, leg(MediaPath.RELAY_TCP, MediaTransport.TLS), GRANT);
        String twice = EdgeSdp.towards(once, leg(MediaPath.RELAY_TCP, MediaTransport.TLS), new StreamGrant("new", 0, 444, 0));

        assertThat(twice).contains("a=pinhole-media:tls 444 new\r\n").doesNotContain("AbC-_9");
        assertThat(twice.split("pinhole-media", -1)).hasSize(2);
    }

    @Test
    void otherLegsAndMissingGrantsLeaveTheSdpAlone() {
        assertThat(EdgeSdp.towards(SDP, leg(MediaPath.RELAY_UDP, MediaTransport.TLS), GRANT)).isSameAs(SDP);
        assertThat(EdgeSdp.towards(SDP, leg(MediaPath.DIRECT, null), GRANT)).isSameAs(SDP);
        assertThat(EdgeSdp.towards(SDP, null, GRANT)).isSameAs(SDP);
        assertThat(EdgeSdp.towards(SDP, leg(MediaPath.RELAY_TCP, MediaTransport.TLS), null)).isSameAs(SDP);
        assertThat(EdgeSdp.towards(SDP, leg(MediaPath.RELAY_TCP, MediaTransport.TLS), new StreamGrant("t", 4571, 0, 0)))
                .as("the relay serves no TLS port").isSameAs(SDP);
        assertThat(EdgeSdp.towards(null, leg(MediaPath.RELAY_TCP, MediaTransport.TLS), GRANT)).isNull();
    }

    @Test
    void keepsBareLineFeedsAndAddsTheLineAtTheEndWithoutMediaLines() {
        String out = EdgeSdp.towards("v=0\nc=IN IP4 203.0.113.5\n", leg(MediaPath.RELAY_TCP, MediaTransport.TCP), GRANT);

        assertThat(out).isEqualTo("v=0\nc=IN IP4 203.0.113.5\na=pinhole-media:tcp 4571 AbC-_9\n");
    }
}
