package io.pinhole.proxy.call;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawSip;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Past the admitted rate, or while received messages wait longer than allowed, new INVITEs are
 * answered 503 with Retry-After; other requests still flow.
 */
class OverloadIT {

    @Test
    void newCallsPastTheRateGet503RetryAfterWhileOptionsStillAnswered() {
        try (ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.calls.max-new-per-second", 2,
                "pinhole.calls.retry-after", 7));
             RawSip sip = new RawSip(proxy.sipPort())) {
            proxy.addUser("o.example", "bob", "correct-horse");
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(sip.request(MalformedInviteIT.invite(sip.localPort(), "sip:bob@o.example",
                        "Max-Forwards: 70\r\n", null, null)).orElseThrow());
            }

            assertThat(answers).filteredOn(a -> RawSip.status(a) == 503).isNotEmpty()
                    .allSatisfy(a -> assertThat(RawSip.header(a, "Retry-After")).isEqualTo("7"));
            assertThat(answers.get(0)).startsWith("SIP/2.0 480");
            String options = sip.request("OPTIONS sip:o.example SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + sip.localPort()
                    + ";branch=z9hG4bKo1\r\nFrom: <sip:x@y.example>;tag=1\r\nTo: <sip:o.example>\r\nCall-ID: o1\r\n"
                    + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").orElseThrow();
            assertThat(options).startsWith("SIP/2.0 200");
        }
    }

    /** A burst far past what the workers take at once: the excess is refused, the rest served, and it recovers. */
    @Test
    void aBurstThatOutwaitsTheQueueDelayLimitGets503ThenTheProxyRecovers() throws Exception {
        try (ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.calls.max-queue-delay", "50ms",
                "pinhole.calls.retry-after", 9));
             java.net.DatagramSocket flood = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            proxy.addUser("q.example", "bob", "correct-horse");
            flood.setReceiveBufferSize(8 << 20);
            flood.setSoTimeout(3000);
            java.net.InetSocketAddress target = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(),
                    proxy.sipPort());
            int burst = 3000;
            for (int i = 0; i < burst; i++) {
                byte[] invite = MalformedInviteIT.invite(flood.getLocalPort(), "sip:bob@q.example", "Max-Forwards: 70\r\n",
                        null, null).replace("Call-ID: bad-", "Call-ID: burst-" + i + "-").getBytes(StandardCharsets.UTF_8);
                flood.send(new java.net.DatagramPacket(invite, invite.length, target));
            }
            Map<String, String> finals = new HashMap<>(); // Call-ID -> the first final response
            byte[] buffer = new byte[65535];
            try {
                while (true) {
                    java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
                    flood.receive(packet);
                    String response = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                    if (RawSip.status(response) >= 200) {
                        finals.putIfAbsent(RawSip.header(response, "Call-ID"), response);
                    }
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // three seconds without a response: the burst is over
            }

            List<String> refused = finals.values().stream().filter(r -> RawSip.status(r) == 503).toList();
            assertThat(refused).as("INVITEs refused while messages waited too long").isNotEmpty()
                    .allSatisfy(r -> assertThat(RawSip.header(r, "Retry-After")).isEqualTo("9"));
            assertThat(finals.values()).as("INVITEs served (bob has no binding: 480)")
                    .anySatisfy(r -> assertThat(RawSip.status(r)).isEqualTo(480));
            try (RawSip sip = new RawSip(proxy.sipPort())) {
                String after = sip.request(MalformedInviteIT.invite(sip.localPort(), "sip:bob@q.example",
                        "Max-Forwards: 70\r\n", null, null)).orElseThrow();
                assertThat(RawSip.status(after)).as("a new call once the queue has drained").isEqualTo(480);
            }
        }
    }
}
