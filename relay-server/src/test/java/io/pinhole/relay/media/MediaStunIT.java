package io.pinhole.relay.media;

import static io.pinhole.relay.support.NgRequests.req;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import io.pinhole.relay.support.Stun;
import io.pinhole.wire.stun.ChangeRequest;
import io.pinhole.wire.stun.StunAttribute;
import io.pinhole.wire.stun.StunAttributeType;
import io.pinhole.wire.stun.StunClass;
import io.pinhole.wire.stun.StunIntegrity;
import io.pinhole.wire.stun.StunMessage;
import io.pinhole.wire.stun.TransactionId;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * STUN on allocated media ports: a Binding request to an RTP or RTCP port is answered from that
 * port with the sender's own address, is not forwarded and does not latch; malformed STUN is
 * dropped; media goes on as before. A and B are the call's two phones, X a stranger.
 */
@Timeout(60)
class MediaStunIT {

    /** One call A-B through the relay: where A and B send their media. */
    private record Call(InetSocketAddress towardsB, InetSocketAddress towardsA, String callId) {
    }

    private static Call call(NgClient ng, RtpPeer a, RtpPeer b) throws Exception {
        String callId = "stun-" + UUID.randomUUID();
        String offered = (String) ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port())))
                .get("sdp");
        String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp");
        return new Call(Sdp.media(answered, 0), Sdp.media(offered, 0), callId);
    }


    /** Side {@code tag}'s stream as the ng query reports it (latched, stats). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> stream(NgClient ng, String callId, String tag) throws Exception {
        Map<String, Object> q = ng.call(req("query", callId));
        Map<String, Object> t = (Map<String, Object>) ((Map<String, Object>) q.get("tags")).get(tag);
        Map<String, Object> media = (Map<String, Object>) ((List<Object>) t.get("medias")).get(0);
        return (Map<String, Object>) ((List<Object>) media.get("streams")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static long stat(Map<String, Object> stream, String key) {
        return (Long) ((Map<String, Object>) stream.get("stats")).get(key);
    }

    /** Sends a Binding request and returns the datagram that answers it (same transaction ID), or null after 2 s. */
    private static DatagramPacket ask(RtpPeer from, InetSocketAddress to, StunMessage request) throws Exception {
        from.sendRaw(to, Stun.bytes(request));
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            DatagramPacket p = from.receiveOne(100);
            if (p != null && p.getLength() >= 20 && p.getData()[0] == 1
                    && Stun.decode(p).transactionId().equals(request.transactionId())) {
                return p;
            }
        }
        return null;
    }

    @Test
    void answersOnRtpAndRtcpPortsWithoutForwardingOrLatching() throws Exception {
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB); RtpPeer x = new RtpPeer(0x5)) {
            Call call = call(ng, a, b);

            // a stranger first: answered with its own address, from the port it asked
            DatagramPacket answer = ask(x, call.towardsB(), Stun.request());
            assertThat(answer).as("answer from the RTP port").isNotNull();
            assertThat(Stun.from(answer)).isEqualTo(call.towardsB());
            StunMessage response = Stun.decode(answer);
            assertThat(response.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(response.attributes()).extracting(StunAttribute::type).containsExactly(
                    StunAttributeType.XOR_MAPPED_ADDRESS, StunAttributeType.SOFTWARE, StunAttributeType.FINGERPRINT);
            assertThat(Stun.xorMapped(response)).isEqualTo(x.address());
            // and A on the RTCP port next to it
            InetSocketAddress rtcp = new InetSocketAddress(call.towardsB().getAddress(), call.towardsB().getPort() + 1);
            answer = ask(a, rtcp, Stun.request());
            assertThat(answer).as("answer from the RTCP port").isNotNull();
            assertThat(Stun.from(answer)).isEqualTo(rtcp);
            assertThat(Stun.xorMapped(Stun.decode(answer))).isEqualTo(a.address());

            assertThat(b.receive(1, 300)).as("STUN is not forwarded to B").isZero();
            Map<String, Object> sideA = stream(ng, call.callId(), "a");
            assertThat(sideA.get("latched")).as("STUN latches nothing").isEqualTo(0L);
            assertThat(stat(sideA, "packets")).as("STUN is not media").isZero();

            // the first RTP latches A, not the stranger who sent STUN before it
            a.send(call.towardsB());
            assertThat(b.receive(1, 2000)).isEqualTo(1);
            x.send(call.towardsB());
            assertThat(b.receive(1, 300)).as("strict source: X's RTP is dropped, A is latched").isZero();
            b.send(call.towardsA());
            assertThat(a.receive(1, 2000)).isEqualTo(1);

            // STUN after latching: answered, not forwarded, latch unchanged
            answer = ask(a, call.towardsB(), Stun.request());
            assertThat(answer).isNotNull();
            assertThat(Stun.xorMapped(Stun.decode(answer))).isEqualTo(a.address());
            assertThat(b.receive(1, 300)).isZero();
            a.send(call.towardsB());
            assertThat(b.receive(1, 2000)).isEqualTo(1);
            assertThat(stream(ng, call.callId(), "a").get("endpoint"))
                    .isEqualTo(Map.of("family", "IPv4", "address", "127.0.0.1", "port", (long) a.port()));
        }
    }

    @Test
    void dropsMalformedStunWithoutBreakingMedia() throws Exception {
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
            Call call = call(ng, a, b);
            byte[] good = Stun.bytes(Stun.request());
            byte[] badFingerprint = good.clone();
            badFingerprint[badFingerprint.length - 1] ^= 1;
            byte[] badLength = good.clone();
            badLength[3] += 4;
            byte[] rfc3489 = Stun.bytes(new StunMessage(0x0001, 0x0badcafe, TransactionId.random(), List.of()));
            List<byte[]> junk = List.of(Arrays.copyOf(good, 9), badFingerprint, badLength, rfc3489, new byte[] {0});
            for (byte[] j : junk) {
                a.sendRaw(call.towardsB(), j);
            }
            // a Binding indication (an RFC 6263 keep-alive) is well-formed: no answer, not forwarded, not an error
            a.sendRaw(call.towardsB(), Stun.bytes(StunMessage.of(StunMessage.BINDING, StunClass.INDICATION,
                    TransactionId.random(), List.of())));
            // and a request the relay cannot do on a media port: an error answer, nothing forwarded
            DatagramPacket refused = ask(a, call.towardsB(), Stun.request(new StunAttribute(
                    StunAttributeType.CHANGE_REQUEST, new ChangeRequest(false, true).encode())));
            assertThat(refused).isNotNull();
            assertThat(Stun.decode(refused).messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);

            assertThat(a.receiveOne(300)).as("no answer to malformed STUN or an indication").isNull();
            assertThat(b.receive(1, 300)).as("nothing forwarded").isZero();
            Map<String, Object> sideA = stream(ng, call.callId(), "a");
            assertThat(stat(sideA, "errors")).as("each malformed datagram counted as dropped").isEqualTo(junk.size());
            assertThat(sideA.get("latched")).isEqualTo(0L);

            for (int i = 0; i < 5; i++) {
                a.send(call.towardsB());
                b.send(call.towardsA());
            }
            assertThat(b.receive(5, 2000)).isEqualTo(5);
            assertThat(a.receive(5, 2000)).isEqualTo(5);
        }
    }

    @Test
    void aFloodOfStunOnOneCallDoesNotStallAnother() throws Exception {
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng());
             RtpPeer a1 = new RtpPeer(1); RtpPeer b1 = new RtpPeer(2); RtpPeer a2 = new RtpPeer(3); RtpPeer b2 = new RtpPeer(4);
             DatagramSocket flood = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Call first = call(ng, a1, b1);
            Call second = call(ng, a2, b2);
            byte[] request = Stun.bytes(Stun.request());
            CompletableFuture<Void> flooding = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 20_000; i++) {
                        flood.send(new DatagramPacket(request, request.length, first.towardsB()));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int sent = 0;
            while (!flooding.isDone() || sent < 20) {
                a2.send(second.towardsB());
                sent++;
                Thread.sleep(5);
            }
            flooding.join();
            assertThat(b2.receive(sent, 3000)).as("the other call's media all came through").isEqualTo(sent);
            // and the flooded port still forwards media (the kernel may drop a packet while the
            // socket buffer still holds the flood's tail: send until one arrives)
            boolean forwarded = false;
            for (int i = 0; i < 30 && !forwarded; i++) {
                a1.send(first.towardsB());
                forwarded = b1.receive(1, 100) == 1;
            }
            assertThat(forwarded).isTrue();
            assertThat(b1.receive(1, 200)).as("none of the flood reached B").isZero();
        }
    }

    /** The value of {@code a=NAME:} in an SDP, or null. */
    private static String attribute(String sdp, String name) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=" + name + ":")) {
                return line.substring(name.length() + 3);
            }
        }
        return null;
    }

    /** An ICE check as a phone sends it (RFC 8445 section 7.2.2), signed with {@code password}. */
    private static byte[] check(String username, String password) {
        StunMessage request = StunMessage.of(StunMessage.BINDING, StunClass.REQUEST, TransactionId.random(),
                List.of(new StunAttribute(StunAttributeType.USERNAME, username.getBytes(StandardCharsets.US_ASCII)),
                        new StunAttribute(StunAttributeType.PRIORITY, new byte[] {0x6e, 0, 1, (byte) 0xff}),
                        new StunAttribute(0x802A, new byte[8]))); // ICE-CONTROLLING
        return StunIntegrity.encodeSigned(request, StunIntegrity.key(password));
    }

    private static DatagramPacket askRaw(RtpPeer from, InetSocketAddress to, byte[] request) throws Exception {
        from.sendRaw(to, request);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            DatagramPacket p = from.receiveOne(100);
            if (p != null && p.getLength() >= 20 && p.getData()[0] == 1
                    && Arrays.equals(Arrays.copyOfRange(p.getData(), 8, 20), Arrays.copyOfRange(request, 8, 20))) {
                return p;
            }
        }
        return null;
    }

    @Test
    void withIceForceSignedChecksWithTheLegsCredentialsGetASignedAnswer() throws Exception {
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
            String callId = "ice-" + UUID.randomUUID();
            String offered = (String) ng.call(req("offer", callId, "from-tag", "a", "ICE", "force",
                    "sdp", Sdp.audio("127.0.0.1", a.port()))).get("sdp");
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b", "ICE", "force",
                    "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp");
            assertThat(offered).contains("a=ice-lite\r\n").contains(" typ host");
            InetSocketAddress towardsA = Sdp.media(offered, 0); // where B sends
            InetSocketAddress towardsB = Sdp.media(answered, 0); // where A sends
            String ufragB = attribute(offered, "ice-ufrag");
            String pwdB = attribute(offered, "ice-pwd");
            String ufragA = attribute(answered, "ice-ufrag");
            String pwdA = attribute(answered, "ice-pwd");
            assertThat(ufragA).as("each leg has its own credentials").isNotEqualTo(ufragB);
            assertThat(pwdA).isNotEqualTo(pwdB);

            // B checks the candidate it was offered, with the credentials it was offered
            DatagramPacket answer = askRaw(b, towardsA, check(ufragB + ":bbbb", pwdB));
            assertThat(answer).as("a signed success").isNotNull();
            byte[] bytes = Arrays.copyOf(answer.getData(), answer.getLength());
            StunMessage response = Stun.decode(answer);
            assertThat(response.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(StunIntegrity.verify(ByteBuffer.wrap(bytes), StunIntegrity.key(pwdB))).isTrue();
            assertThat(Stun.xorMapped(response)).isEqualTo(b.address());
            // and the RTCP port of the same endpoint (no rtcp-mux here)
            InetSocketAddress rtcp = new InetSocketAddress(towardsA.getAddress(), towardsA.getPort() + 1);
            assertThat(askRaw(b, rtcp, check(ufragB + ":bbbb", pwdB))).isNotNull();

            // A's credentials on B's port, or B's ufrag with a wrong password: 401, unsigned
            for (byte[] wrong : List.of(check(ufragA + ":aaaa", pwdA), check(ufragB + ":bbbb", pwdA))) {
                DatagramPacket refused = askRaw(b, towardsA, wrong);
                assertThat(refused).isNotNull();
                StunMessage error = Stun.decode(refused);
                assertThat(error.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
                assertThat(error.attribute(StunAttributeType.MESSAGE_INTEGRITY)).isNull();
            }
            // A's check on its own port works; a plain probe there still gets the plain answer
            assertThat(Stun.decode(askRaw(a, towardsB, check(ufragA + ":aaaa", pwdA))).messageClass())
                    .isEqualTo(StunClass.SUCCESS_RESPONSE);
            DatagramPacket plain = ask(a, towardsB, Stun.request());
            assertThat(Stun.decode(plain).attributes()).extracting(StunAttribute::type).containsExactly(
                    StunAttributeType.XOR_MAPPED_ADDRESS, StunAttributeType.SOFTWARE, StunAttributeType.FINGERPRINT);

            // media flows as before
            a.send(towardsB);
            assertThat(b.receive(1, 2000)).isEqualTo(1);
        }
    }

    @Test
    void withoutIceForceASignedCheckIsNotAnswered() throws Exception {
        try (OurRelay relay = new OurRelay(); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
            Call call = call(ng, a, b);
            // no credentials on this port: the plain responder refuses ICE's PRIORITY (420), as before
            StunMessage error = Stun.decode(askRaw(b, call.towardsA(), check("abcd:bbbb", "0123456789012345678901")));
            assertThat(error.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        }
    }
}
