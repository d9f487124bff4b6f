package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UdpSeenQueryTest {

    private static final String TX = "00112233445566778899aabb";
    private static final Map<String, InetSocketAddress> SEEN = Map.of(TX, new InetSocketAddress("198.51.100.7", 40123));

    @Test
    void seenNamesWhereTheRequestCameFrom() {
        assertThat(UdpSeenQuery.answer("GET", "/pinhole/udp-seen?tx=" + TX, SEEN::get))
                .isEqualTo(new UdpSeenQuery(200, "seen 198.51.100.7:40123"));
        assertThat(UdpSeenQuery.answer("GET", "http://relay:80/pinhole/udp-seen?a=1&tx=" + TX, SEEN::get).status())
                .isEqualTo(200);
    }

    @Test
    void unknownTransactionIsNotSeen() {
        assertThat(UdpSeenQuery.answer("GET", "/pinhole/udp-seen?tx=ffffffffffffffffffffffff", SEEN::get))
                .isEqualTo(new UdpSeenQuery(404, "not seen"));
    }

    @Test
    void malformedQuestionsAreRefused() {
        assertThat(UdpSeenQuery.answer("GET", "/pinhole/udp-seen", SEEN::get).status()).isEqualTo(400);
        assertThat(UdpSeenQuery.answer("GET", "/pinhole/udp-seen?tx=xyz", SEEN::get).status()).isEqualTo(400);
        assertThat(UdpSeenQuery.answer("POST", "/pinhole/udp-seen?tx=" + TX, SEEN::get).status()).isEqualTo(405);
    }
}
