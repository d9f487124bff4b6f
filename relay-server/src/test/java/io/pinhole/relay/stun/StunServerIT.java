package io.pinhole.relay.stun;

import static io.pinhole.wire.stun.StunAttributeType.MAPPED_ADDRESS;
import static io.pinhole.wire.stun.StunAttributeType.OTHER_ADDRESS;
import static io.pinhole.wire.stun.StunAttributeType.RESPONSE_ORIGIN;
import static io.pinhole.wire.stun.StunAttributeType.SOFTWARE;
import static io.pinhole.wire.stun.StunAttributeType.UNKNOWN_ATTRIBUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.pinhole.relay.config.RelayProperties;
import io.pinhole.relay.support.FreeUdpPorts;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Stun;
import io.pinhole.testsupport.Binaries;
import io.pinhole.wire.stun.ChangeRequest;
import io.pinhole.wire.stun.StunAttribute;
import io.pinhole.wire.stun.StunAttributeType;
import io.pinhole.wire.stun.StunClass;
import io.pinhole.wire.stun.StunMessage;
import io.pinhole.wire.stun.TransactionId;
import io.pinhole.wire.stun.UnknownAttributes;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay's STUN port, black-box: Binding requests from a plain socket and from Debian's
 * {@code stun} client (stund 0.97, an RFC 3489 NAT-type tool), against a relay on free ports.
 * "A2" is 127.0.0.2, which Linux answers on loopback like 127.0.0.1.
 */
@Timeout(60)
class StunServerIT {

    private static final InetAddress A1 = address("127.0.0.1");
    private static final InetAddress A2 = address("127.0.0.2");

    private int p1;
    private int p2;

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeEach
    void pickPorts() throws Exception {
        List<Integer> ports = FreeUdpPorts.on(2, A1, A2);
        p1 = ports.get(0);
        p2 = ports.get(1);
    }

    private RelayProperties oneAddress() {
        return OurRelay.testDefaults().withStun(p1, p2, "");
    }

    private RelayProperties twoAddresses() {
        return OurRelay.testDefaults().withStun(p1, p2, "127.0.0.2");
    }

    /**
     * Sends the request, again every 200 ms as a STUN client retransmits, and returns the answer
     * with the same transaction ID, or fails after 2 s.
     */
    private static DatagramPacket ask(RtpPeer client, InetSocketAddress to, StunMessage request) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            client.sendRaw(to, Stun.bytes(request));
            DatagramPacket p = client.receiveOne(200);
            if (p != null && Stun.decode(p).transactionId().equals(request.transactionId())) {
                return p;
            }
        }
        throw new AssertionError("no answer from " + to + " to " + request);
    }

    private static StunAttribute change(boolean ip, boolean port) {
        return new StunAttribute(StunAttributeType.CHANGE_REQUEST, new ChangeRequest(ip, port).encode());
    }

    @Test
    void answersBindingFromThePortItWasSentTo() throws Exception {
        try (OurRelay relay = new OurRelay(oneAddress()); RtpPeer client = new RtpPeer(1)) {
            for (int port : new int[] {p1, p2}) {
                InetSocketAddress server = new InetSocketAddress(A1, port);
                DatagramPacket p = ask(client, server, Stun.request());
                StunMessage response = Stun.decode(p);
                assertThat(Stun.from(p)).isEqualTo(server);
                assertThat(response.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
                assertThat(response.rfc3489()).isFalse();
                assertThat(Stun.xorMapped(response)).isEqualTo(client.address());
                assertThat(Stun.address(response, MAPPED_ADDRESS)).isEqualTo(client.address());
                assertThat(Stun.address(response, RESPONSE_ORIGIN)).isEqualTo(server);
                assertThat(Stun.address(response, OTHER_ADDRESS)).as("one address: no OTHER-ADDRESS").isNull();
                assertThat(new String(response.attribute(SOFTWARE).value(), StandardCharsets.UTF_8))
                        .isEqualTo("Pinhole relay");
            }
        }
    }

    @Test
    void changePortAnswersFromTheOtherPortAndChangeIpWithOneAddressGets420() throws Exception {
        try (OurRelay relay = new OurRelay(oneAddress()); RtpPeer client = new RtpPeer(1)) {
            DatagramPacket p = ask(client, new InetSocketAddress(A1, p1), Stun.request(change(false, true)));
            assertThat(Stun.from(p)).isEqualTo(new InetSocketAddress(A1, p2));
            assertThat(Stun.address(Stun.decode(p), RESPONSE_ORIGIN)).isEqualTo(new InetSocketAddress(A1, p2));
            assertThat(Stun.xorMapped(Stun.decode(p))).isEqualTo(client.address());

            p = ask(client, new InetSocketAddress(A1, p2), Stun.request(change(false, true)));
            assertThat(Stun.from(p)).isEqualTo(new InetSocketAddress(A1, p1));

            p = ask(client, new InetSocketAddress(A1, p1), Stun.request(change(true, false)));
            StunMessage refused = Stun.decode(p);
            assertThat(refused.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
            assertThat(Stun.from(p)).isEqualTo(new InetSocketAddress(A1, p1));
            assertThat(UnknownAttributes.decode(refused.attribute(UNKNOWN_ATTRIBUTES).value()))
                    .containsExactly(StunAttributeType.CHANGE_REQUEST);
        }
    }

    @Test
    void answersFromAllFourSocketsWithAnAlternateAddress() throws Exception {
        try (OurRelay relay = new OurRelay(twoAddresses()); RtpPeer client = new RtpPeer(1)) {
            InetSocketAddress a1p1 = new InetSocketAddress(A1, p1);
            Object[][] cases = {
                    {a1p1, change(false, false), a1p1, new InetSocketAddress(A2, p2)},
                    {a1p1, change(false, true), new InetSocketAddress(A1, p2), new InetSocketAddress(A2, p2)},
                    {a1p1, change(true, false), new InetSocketAddress(A2, p1), new InetSocketAddress(A2, p2)},
                    {a1p1, change(true, true), new InetSocketAddress(A2, p2), new InetSocketAddress(A2, p2)},
                    {new InetSocketAddress(A2, p2), change(false, true), new InetSocketAddress(A2, p1), a1p1},
                    {new InetSocketAddress(A2, p1), change(true, false), a1p1, new InetSocketAddress(A1, p2)},
            };
            for (Object[] c : cases) {
                DatagramPacket p = ask(client, (InetSocketAddress) c[0], Stun.request((StunAttribute) c[1]));
                StunMessage response = Stun.decode(p);
                String row = "to " + c[0] + " with " + c[1];
                assertThat(response.messageClass()).as(row).isEqualTo(StunClass.SUCCESS_RESPONSE);
                assertThat(Stun.from(p)).as(row).isEqualTo(c[2]);
                assertThat(Stun.address(response, RESPONSE_ORIGIN)).as(row).isEqualTo(c[2]);
                assertThat(Stun.address(response, OTHER_ADDRESS)).as(row).isEqualTo(c[3]);
                assertThat(Stun.xorMapped(response)).as(row).isEqualTo(client.address());
            }
        }
    }

    @Test
    void debianStunClientFindsItsAddressAndAnOpenHost() throws Exception {
        Path stun = Binaries.require("stun");
        int source = FreeUdpPorts.pair(); // the client binds it and the port above it
        try (OurRelay relay = new OurRelay(twoAddresses())) {
            Process client = new ProcessBuilder(stun.toString(), "127.0.0.1:" + p1, "-v", "-p", String.valueOf(source))
                    .redirectErrorStream(true).start();
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).as("stun finished").isTrue();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // test I: its own address back; test II (change IP) answered from A2, test III (change
            // port) from P2, test I(2) sent to CHANGED-ADDRESS's address: all four answered
            assertThat(out).as(out)
                    .contains("MappedAddress = 127.0.0.1:" + source + "\n")
                    .contains("SourceAddress = 127.0.0.2:" + p1 + "\n")
                    .contains("SourceAddress = 127.0.0.1:" + p2 + "\n")
                    .contains("ChangedAddress = 127.0.0.2:" + p2 + "\n")
                    .contains("test I = 1\n").contains("test II = 1\n").contains("test III = 1\n")
                    .contains("test I(2) = 1\n").contains("is nat  = 0\n").contains("mapped IP same = 1\n")
                    .contains("Primary: Open").contains("Return value is 0x000001");
            assertThat(client.exitValue()).as("stun's exit code is its verdict: 1 = open").isEqualTo(1);
        }
    }

    @Test
    void answersAnRfc3489RequestWithMappedAddress() throws Exception {
        try (OurRelay relay = new OurRelay(oneAddress()); RtpPeer client = new RtpPeer(1)) {
            StunMessage classic = new StunMessage(0x0001, 0x0badcafe, TransactionId.random(), List.of(change(false, false)));
            DatagramPacket p = ask(client, new InetSocketAddress(A1, p1), classic);
            StunMessage response = Stun.decode(p);
            assertThat(response.cookie()).isEqualTo(0x0badcafe);
            assertThat(response.attributes()).extracting(StunAttribute::type)
                    .containsExactly(MAPPED_ADDRESS, StunAttributeType.SOURCE_ADDRESS);
            assertThat(Stun.address(response, MAPPED_ADDRESS)).isEqualTo(client.address());
        }
    }

    @Test
    void dropsMalformedDatagramsAndKeepsAnswering() throws Exception {
        try (OurRelay relay = new OurRelay(oneAddress()); RtpPeer client = new RtpPeer(1)) {
            InetSocketAddress server = new InetSocketAddress(A1, p1);
            byte[] good = Stun.bytes(Stun.request());
            byte[] badFingerprint = good.clone();
            badFingerprint[badFingerprint.length - 1] ^= 1;
            byte[] badLength = good.clone();
            badLength[3] += 4;
            byte[] firstBits = good.clone();
            firstBits[0] = (byte) 0xC0;
            byte[] random = new byte[64];
            new Random(7).nextBytes(random);
            random[0] = 1;
            for (byte[] junk : List.of(Arrays.copyOf(good, 12), badFingerprint, badLength, firstBits, random, new byte[0])) {
                client.sendRaw(server, junk);
            }
            assertThat(client.receiveOne(500)).as("no answer to junk").isNull();
            assertThat(Stun.xorMapped(Stun.decode(ask(client, server, Stun.request())))).isEqualTo(client.address());
        }
    }

    @Test
    void staysResponsiveUnderAFlood() throws Exception {
        try (OurRelay relay = new OurRelay(oneAddress()); DatagramSocket flood = new DatagramSocket(0, A1);
             RtpPeer client = new RtpPeer(1)) {
            InetSocketAddress server = new InetSocketAddress(A1, p1);
            byte[] request = Stun.bytes(Stun.request());
            for (int i = 0; i < 5000; i++) {
                flood.send(new DatagramPacket(request, request.length, server));
            }
            assertThat(Stun.xorMapped(Stun.decode(ask(client, server, Stun.request())))).isEqualTo(client.address());
            // what the socket buffers let through was answered
            flood.setSoTimeout(500);
            int answered = 0;
            try {
                byte[] buf = new byte[1500];
                while (answered < 5000) {
                    flood.receive(new DatagramPacket(buf, buf.length));
                    answered++;
                }
            } catch (SocketTimeoutException e) {
                // all in
            }
            assertThat(answered).isGreaterThan(100);
        }
    }

    @Test
    void answersOverIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        List<Integer> ports = FreeUdpPorts.on(2, v6);
        RelayProperties p = OurRelay.testDefaults().withMedia("::1", "").withStun(ports.get(0), ports.get(1), "");
        try (OurRelay relay = new OurRelay(p); RtpPeer client = new RtpPeer(v6, 1)) {
            InetSocketAddress server = new InetSocketAddress(v6, ports.get(0));
            DatagramPacket answer = ask(client, server, Stun.request());
            assertThat(Stun.from(answer)).isEqualTo(server);
            assertThat(Stun.xorMapped(Stun.decode(answer))).isEqualTo(client.address());
        }
    }

    @Test
    void refusesToStartWhenItsPortIsTaken() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(A1, p2))) {
            assertThatIllegalStateException().isThrownBy(() -> new OurRelay(oneAddress()).close())
                    .withMessageStartingWith("pinhole.relay.stun-port " + p1 + ", stun-alternate-port " + p2)
                    .withMessageContaining("cannot bind STUN socket /127.0.0.1:" + p2);
        }
        // and nothing of the failed start holds the first port
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(A1, p1))) {
            assertThat(again.getLocalPort()).isEqualTo(p1);
        }
        // once the port is free the same settings start, and that port answers
        try (OurRelay relay = new OurRelay(oneAddress()); RtpPeer client = new RtpPeer(1)) {
            DatagramPacket p = ask(client, new InetSocketAddress(A1, p2), Stun.request());
            assertThat(Stun.from(p)).isEqualTo(new InetSocketAddress(A1, p2));
        }
    }
}
