package io.pinhole.proxy.call;

import io.pinhole.proxy.auth.DigestAlgorithm;
import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RawRegister;
import io.pinhole.testsupport.RawSip;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * The INVITE that answers our challenge waits in the same backlog as a new call sent just
     * before it, with more messages queued behind both (so the backlog is still there when each is
     * taken): the new call is refused, the challenged one goes on (to a 480: bob has no phone).
     */
    @Test
    void aCallThatAnsweredOurChallengeIsNotRefusedByQueueDelay() throws Exception {
        try (ProxyInstance proxy = ProxyInstance.start(Map.of("pinhole.calls.max-queue-delay", "1ms",
                "pinhole.calls.max-new-per-second", 100000));
             RawSip alice = new RawSip(proxy.sipPort());
             RawSip stranger = new RawSip(proxy.sipPort());
             java.net.DatagramSocket flood = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            proxy.addUser("q.example", "bob", "correct-horse");
            proxy.addUser("q.example", "alice", "alice-pass");
            String challenge = alice.request(aliceInvite(alice.localPort(), 1, "")).orElseThrow();
            assertThat(RawSip.status(challenge)).isEqualTo(407);
            String nonce = RawSip.headers(challenge, "Proxy-Authenticate").stream()
                    .map(RawRegister::challengeParams).filter(p -> "MD5".equals(p.get("algorithm")))
                    .findFirst().orElseThrow().get("nonce");

            java.net.InetSocketAddress target = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(),
                    proxy.sipPort());
            flood(flood, target, "before", 3000);
            stranger.send(MalformedInviteIT.invite(stranger.localPort(), "sip:bob@q.example", "Max-Forwards: 70\r\n", null, null));
            alice.send(aliceInvite(alice.localPort(), 2, proxyAuthorization(nonce)));
            flood(flood, target, "after", 300);

            assertThat(finalResponse(stranger)).as("a new call queued with it").hasValueSatisfying(r ->
                    assertThat(RawSip.status(r)).isEqualTo(503));
            assertThat(finalResponse(alice)).as("the call that answered our challenge").hasValueSatisfying(r ->
                    assertThat(RawSip.status(r)).isEqualTo(480));
        }
    }

    private static void flood(java.net.DatagramSocket socket, java.net.InetSocketAddress target, String name, int count)
            throws java.io.IOException {
        for (int i = 0; i < count; i++) {
            byte[] invite = MalformedInviteIT.invite(socket.getLocalPort(), "sip:bob@q.example", "Max-Forwards: 70\r\n",
                    null, null).replace("Call-ID: bad-", "Call-ID: " + name + "-" + i + "-").getBytes(StandardCharsets.UTF_8);
            socket.send(new java.net.DatagramPacket(invite, invite.length, target));
        }
    }

    private static String aliceInvite(int localPort, int cseq, String extraHeaders) {
        return "INVITE sip:bob@q.example SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bK-alice-" + cseq + "\r\n"
                + "From: <sip:alice@q.example>;tag=a1\r\nTo: <sip:bob@q.example>\r\n"
                + "Call-ID: alice-challenged\r\nCSeq: " + cseq + " INVITE\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:alice@127.0.0.1:" + localPort + ">\r\n" + extraHeaders + "Content-Length: 0\r\n\r\n";
    }

    private static String proxyAuthorization(String nonce) {
        DigestAlgorithm md5 = DigestAlgorithm.MD5;
        String uri = "sip:bob@q.example";
        String ha1 = md5.hex("alice:q.example:alice-pass");
        String response = md5.hex(ha1 + ":" + nonce + ":00000001:c1:auth:" + md5.hex("INVITE:" + uri));
        return "Proxy-Authorization: Digest username=\"alice\",realm=\"q.example\",nonce=\"" + nonce + "\",uri=\"" + uri
                + "\",response=\"" + response + "\",algorithm=MD5,qop=auth,nc=00000001,cnonce=\"c1\"\r\n";
    }

    /** The first final response, waiting out a backlog of a few seconds. */
    private static Optional<String> finalResponse(RawSip sip) {
        for (int quiet = 0; quiet < 5; ) {
            Optional<String> response = sip.receive();
            if (response.isEmpty()) {
                quiet++;
            } else if (RawSip.status(response.get()) >= 200) {
                return response;
            }
        }
        return Optional.empty();
    }
}
