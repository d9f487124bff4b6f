package io.pinhole.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.support.FreeUdpPorts;
import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Stun;
import io.pinhole.relay.support.Sdp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The packaged application: relay bean up, actuator health and Prometheus metrics served, STUN answered, RTCP captured. */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pinhole.relay.control-port=0", "pinhole.relay.port-min=25000", "pinhole.relay.port-max=25999",
        // their defaults (80, and 443 with a certificate) are fixed ports other relays on this host may hold
        "pinhole.relay.http-media-port=0", "pinhole.relay.tls-port=0"})
class RelayServerApplicationIT {

    /** Free ports instead of the default 3478/3479, which another relay on this host may hold. */
    private static final List<Integer> STUN_PORTS = stunPorts();

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private RelayServer relay;

    private static List<Integer> stunPorts() {
        try {
            return FreeUdpPorts.on(2, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A HEP collector: RTCP capture is configured as an operator would, by property. */
    private static final DatagramSocket COLLECTOR = collector();

    private static DatagramSocket collector() {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(5000);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void stun(DynamicPropertyRegistry registry) {
        registry.add("pinhole.relay.stun-port", () -> STUN_PORTS.get(0));
        registry.add("pinhole.relay.stun-alternate-port", () -> STUN_PORTS.get(1));
        registry.add("pinhole.relay.capture.hep-collector", () -> "udp:127.0.0.1:" + COLLECTOR.getLocalPort());
    }

    @AfterAll
    static void closeCollector() {
        COLLECTOR.close();
    }

    @Test
    void sendsRtcpSummariesToTheConfiguredCollector() throws Exception {
        try (NgClient ng = new NgClient(relay.controlAddress());
             DatagramSocket phone = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ng.call(Map.of("command", "offer", "call-id", "app-rtcp", "from-tag", "a",
                    "sdp", Sdp.audio("127.0.0.1", 20000)));
            String answered = (String) ng.call(Map.of("command", "answer", "call-id", "app-rtcp", "from-tag", "a",
                    "to-tag", "b", "sdp", Sdp.audio("127.0.0.1", 20002))).get("sdp");
            byte[] rr = ByteBuffer.allocate(8).put((byte) 0x80).put((byte) 201).putShort((short) 1).putInt(9).array();
            phone.send(new DatagramPacket(rr, rr.length,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), Sdp.media(answered, 0).getPort() + 1)));

            DatagramPacket hep = new DatagramPacket(new byte[4096], 4096);
            COLLECTOR.receive(hep);
            String packet = new String(hep.getData(), 0, hep.getLength(), StandardCharsets.ISO_8859_1);
            assertThat(packet).startsWith("HEP3").contains("app-rtcp").contains("{\"ssrc\":9,\"type\":201");
        } finally {
            // The context outlives this class (Spring caches it): a call left open would hold its ports.
            try (NgClient ng = new NgClient(relay.controlAddress())) {
                ng.call(Map.of("command", "delete", "call-id", "app-rtcp"));
            }
        }
    }

    @Test
    void answersStunOnTheConfiguredPorts() throws Exception {
        try (RtpPeer client = new RtpPeer(1)) {
            for (int port : STUN_PORTS) {
                InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                client.sendRaw(server, Stun.bytes(Stun.request()));
                DatagramPacket answer = client.receiveOne(2000);
                assertThat(answer).as("answer from " + server).isNotNull();
                assertThat(Stun.from(answer)).isEqualTo(server);
                assertThat(Stun.xorMapped(Stun.decode(answer))).isEqualTo(client.address());
            }
        }
    }

    @Test
    void servesNgHealthAndMetrics() throws Exception {
        try (NgClient ng = new NgClient(relay.controlAddress())) {
            assertThat(ng.call(Map.of("command", "ping"))).containsEntry("result", "pong");
        }
        assertThat(http.getForObject("/actuator/health", String.class)).contains("\"UP\"");
        String metrics = http.getForObject("/actuator/prometheus", String.class);
        assertThat(metrics).contains("pinhole_relay_calls_active").contains("pinhole_relay_packets_dropped_total")
                .contains("pinhole_relay_calls_timedout_total");
    }
}
