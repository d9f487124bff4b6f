package io.pinhole.relay.media;

import static io.pinhole.relay.support.NgRequests.req;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.uring.IoUring;
import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.PortsFreedOnClose;
import io.pinhole.relay.support.RtpPeer;
import io.pinhole.relay.support.Sdp;
import io.pinhole.relay.support.Stun;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The media path on io_uring ({@code media-io=io_uring}), whatever the run's default: real
 * datagrams through a relay whose media loops are io_uring, for everything the path relies on —
 * latching and strict source, RTCP on the odd port, STUN answered on a media port, a datagram of
 * the full {@code max-datagram-size}, and ports given back after {@code delete}. The rest of the
 * relay's tests run on io_uring with {@code -Dpinhole.relay.media-io=io_uring}.
 */
@Timeout(60)
class IoUringRelayIT {

    @BeforeAll
    static void ioUringLoads() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable here: " + IoUring.unavailabilityCause());
    }


    @SuppressWarnings("unchecked")
    private static long portPairsInUse(NgClient ng) throws Exception {
        Map<String, Object> s = (Map<String, Object>) ng.call(Map.of("command", "statistics")).get("statistics");
        return (Long) ((Map<String, Object>) s.get("currentstatistics")).get("portpairsinuse");
    }

    private static OurRelay ioUringRelay() throws InterruptedException {
        OurRelay relay = new OurRelay(OurRelay.testDefaults().withMediaIo(MediaIo.IO_URING));
        assertThat(relay.server().mediaIo()).as("the media loops run on io_uring").isEqualTo(MediaIo.Kind.IO_URING);
        return relay;
    }

    @Test
    void forwardsLatchesAndAnswersStunOnIoUring() throws Exception {
        try (OurRelay relay = ioUringRelay(); NgClient ng = new NgClient(relay.ng());
             RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB); RtpPeer bRtcp = new RtpPeer(0xB);
             RtpPeer x = new RtpPeer(0x5)) {
            String callId = "uring-" + UUID.randomUUID();
            String offered = (String) ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port())))
                    .get("sdp");
            String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                    "sdp", Sdp.audio("127.0.0.1", b.port()) + "a=rtcp:" + bRtcp.port() + "\r\n")).get("sdp");
            InetSocketAddress towardsB = Sdp.media(answered, 0);
            InetSocketAddress towardsA = Sdp.media(offered, 0);

            // STUN on the RTP port before any media: answered from that port with the asker's address
            byte[] request = Stun.bytes(Stun.request());
            x.sendRaw(towardsB, request);
            DatagramPacket answer = x.receiveOne(2000);
            assertThat(answer).as("STUN answered on the media port").isNotNull();
            assertThat(Stun.from(answer)).isEqualTo(towardsB);
            assertThat(Stun.xorMapped(Stun.decode(answer))).isEqualTo(x.address());

            // a burst both ways: every packet through, in both directions
            for (int i = 0; i < 200; i++) {
                a.send(towardsB);
                b.send(towardsA);
            }
            assertThat(b.receive(200, 3000)).isEqualTo(200);
            assertThat(a.receive(200, 3000)).isEqualTo(200);

            // A is latched: the stranger's RTP is dropped (strict source), A's still goes through
            x.send(towardsB);
            assertThat(b.receive(1, 300)).as("strict source on io_uring").isZero();
            a.send(towardsB);
            assertThat(b.receive(1, 2000)).isEqualTo(1);

            // RTCP on the odd port, from the odd port, to B's RTCP address
            byte[] rtcp = {(byte) 0x80, (byte) 200, 0, 6, 0, 0, 0, 0xA, 0, 0, 0, 0, 0, 0, 0, 0};
            a.sendRaw(new InetSocketAddress(towardsB.getAddress(), towardsB.getPort() + 1), rtcp);
            DatagramPacket gotRtcp = bRtcp.receiveOne(2000);
            assertThat(gotRtcp).as("RTCP forwarded").isNotNull();
            assertThat(gotRtcp.getPort()).isEqualTo(towardsA.getPort() + 1);

            // a datagram of the full max-datagram-size (2048) arrives whole, not cut at a smaller buffer
            byte[] big = new byte[2048];
            big[0] = (byte) 0x80;
            big[1] = 8;
            big[11] = 0xA;
            Arrays.fill(big, 12, big.length, (byte) 0x5a);
            a.sendRaw(towardsB, big);
            DatagramPacket gotBig = b.receiveOne(2000);
            assertThat(gotBig).isNotNull();
            assertThat(Arrays.copyOfRange(gotBig.getData(), gotBig.getOffset(), gotBig.getOffset() + gotBig.getLength()))
                    .isEqualTo(big);

            ng.call(req("delete", callId));
            eventually(Duration.ofSeconds(3), () -> portPairsInUse(ng) == 0L, "port pairs given back after delete");
        }
    }

    @Test
    void aClosedRelayLeavesNoPortBound() throws Exception {
        PortsFreedOnClose.check(OurRelay.testDefaults().withMediaIo(MediaIo.IO_URING));
    }

    @Test
    void manyCallsAtOnceEachGetTheirOwnMedia() throws Exception {
        try (OurRelay relay = ioUringRelay(); NgClient ng = new NgClient(relay.ng())) {
            int calls = 50;
            List<RtpPeer> peers = new java.util.ArrayList<>();
            try {
                InetSocketAddress[] towardsB = new InetSocketAddress[calls];
                for (int i = 0; i < calls; i++) {
                    RtpPeer a = new RtpPeer(2 * i + 1);
                    RtpPeer b = new RtpPeer(2 * i + 2);
                    peers.add(a);
                    peers.add(b);
                    String callId = "uring-many-" + i + "-" + UUID.randomUUID();
                    ng.call(req("offer", callId, "from-tag", "a", "sdp", Sdp.audio("127.0.0.1", a.port())));
                    towardsB[i] = Sdp.media((String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                            "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp"), 0);
                }
                for (int round = 0; round < 10; round++) {
                    for (int i = 0; i < calls; i++) {
                        peers.get(2 * i).send(towardsB[i]);
                    }
                }
                for (int i = 0; i < calls; i++) {
                    assertThat(peers.get(2 * i + 1).receive(10, 3000)).as("call %d", i).isEqualTo(10);
                }
                eventually(Duration.ofSeconds(3), () -> portPairsInUse(ng) == 2L * calls, "two port pairs per call");
            } finally {
                peers.forEach(RtpPeer::close);
            }
        }
    }
}
