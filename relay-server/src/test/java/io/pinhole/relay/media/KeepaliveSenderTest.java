package io.pinhole.relay.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.pinhole.relay.sdp.PayloadTypes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the relay sends, when and to whom, with the real {@link ForwardingHandler}s in front of
 * each side's two sockets ({@link EmbeddedChannel}s), one {@link KeepaliveWheel} and a clock the
 * test moves: phone A and phone B in one call, their NAT mappings (where packets come from) apart
 * from the private addresses their SDP names.
 */
class KeepaliveSenderTest {

    private static final long INTERVAL = 15_000_000_000L;
    private static final long MEDIA_GAP = 20_000_000L;
    private static final int SSRC_A = 0xA0A0A0A0;
    private static final int SSRC_B = 0xB0B0B0B0;
    private static final InetSocketAddress RELAY_A = new InetSocketAddress("203.0.113.1", 41000);
    private static final InetSocketAddress RELAY_B = new InetSocketAddress("203.0.113.1", 41002);
    private static final InetSocketAddress SDP_A = new InetSocketAddress("10.0.1.2", 4000);
    private static final InetSocketAddress SDP_B = new InetSocketAddress("10.0.2.2", 6000);
    private static final InetSocketAddress NAT_A = new InetSocketAddress("198.51.100.11", 50_000);
    private static final InetSocketAddress NAT_A_RTCP = new InetSocketAddress("198.51.100.11", 50_007);
    private static final InetSocketAddress NAT_B = new InetSocketAddress("198.51.100.12", 60_000);
    private static final byte[] CNAME = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private long now = 1_000_000_000_000L;
    private final List<DatagramPacket> toA = new ArrayList<>();
    private final List<DatagramPacket> toARtcp = new ArrayList<>();
    private final List<DatagramPacket> toB = new ArrayList<>();
    private final List<DatagramPacket> toBRtcp = new ArrayList<>();
    private EmbeddedChannel aRtp;
    private EmbeddedChannel aRtcp;
    private EmbeddedChannel bRtp;
    private EmbeddedChannel bRtcp;
    private Endpoint a;
    private Endpoint b;
    private KeepaliveWheel wheel;

    @BeforeEach
    void call() {
        aRtp = new EmbeddedChannel();
        aRtcp = new EmbeddedChannel();
        bRtp = new EmbeddedChannel();
        bRtcp = new EmbeddedChannel();
        LatchPolicy symmetric = new LatchPolicy(true, true, false);
        a = new Endpoint(41000, aRtp.eventLoop(), symmetric);
        b = new Endpoint(41002, aRtp.eventLoop(), symmetric);
        Endpoint.link(a, b);
        a.channels(aRtp, aRtcp);
        b.channels(bRtp, bRtcp);
        a.remote(SDP_A, new InetSocketAddress(SDP_A.getAddress(), 4001), false, false);
        b.remote(SDP_B, new InetSocketAddress(SDP_B.getAddress(), 6001), false, false);
        a.formats(PayloadTypes.of(8, 101));
        b.formats(PayloadTypes.of(8, 101));
        wheel = new KeepaliveWheel(INTERVAL, now, new KeepaliveSender(INTERVAL, CNAME));
        aRtp.pipeline().addLast(new ForwardingHandler(a, false, wheel, () -> now));
        aRtcp.pipeline().addLast(new ForwardingHandler(a, true, wheel, () -> now));
        bRtp.pipeline().addLast(new ForwardingHandler(b, false, wheel, () -> now));
        bRtcp.pipeline().addLast(new ForwardingHandler(b, true, wheel, () -> now));
    }

    @AfterEach
    void release() {
        for (List<DatagramPacket> list : List.of(toA, toARtcp, toB, toBRtcp)) {
            list.forEach(DatagramPacket::release);
        }
        for (EmbeddedChannel c : List.of(aRtp, aRtcp, bRtp, bRtcp)) {
            c.finishAndReleaseAll();
        }
    }

    /** A phone's packet arriving at one of the relay's sockets. */
    private static void arrive(EmbeddedChannel socket, InetSocketAddress relayPort, InetSocketAddress from, ByteBuf packet) {
        socket.writeInbound(new DatagramPacket(packet, relayPort, from));
    }

    private static ByteBuf media(int ssrc) {
        ByteBuf b = Unpooled.buffer(172);
        b.writeByte(0x80).writeByte(8).writeShort(1).writeInt(160).writeInt(ssrc).writeZero(160);
        return b;
    }

    private static ByteBuf receiverReport(int ssrc) {
        return Unpooled.buffer(8).writeByte(0x80).writeByte(201).writeShort(1).writeInt(ssrc);
    }

    /** Moves the clock to {@code until} a tick at a time, turning the wheel as the loop's timer does. */
    private void runUntil(long until) {
        while (now < until) {
            now = Math.min(until, now + wheel.tickNanos());
            wheel.advance(now);
            collect();
        }
    }

    /** Takes what each socket sent since the last call. */
    private void collect() {
        drain(aRtp, toA);
        drain(aRtcp, toARtcp);
        drain(bRtp, toB);
        drain(bRtcp, toBRtcp);
    }

    private static void drain(EmbeddedChannel socket, List<DatagramPacket> into) {
        for (Object m = socket.readOutbound(); m != null; m = socket.readOutbound()) {
            into.add((DatagramPacket) m);
        }
    }

    private static List<DatagramPacket> keepalives(List<DatagramPacket> sent) {
        return sent.stream().filter(p -> p.content().readableBytes() != 172).toList();
    }

    @Test
    void aSideThatNeverLatchedGetsNothing() {
        arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A)); // A latches; B never sends
        collect();
        assertThat(toB).as("A's packet goes to B's SDP address: that is media, B asked for it").hasSize(1);
        assertThat(toB.get(0).recipient()).isEqualTo(SDP_B);

        runUntil(now + 10 * INTERVAL);

        assertThat(toB).as("no keepalive to an address B never sent from").hasSize(1);
        assertThat(toBRtcp).isEmpty();
        assertThat(wheel.size()).as("only the latched side is watched").isEqualTo(1);
        assertThat(keepalives(toA)).as("A, latched and idle, gets its keepalives").hasSize(10);
        assertThat(toA).allSatisfy(p -> assertThat(p.recipient()).isEqualTo(NAT_A));
    }

    @Test
    void aSideReceivingMediaGetsNothing() {
        arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A));
        arrive(bRtp, RELAY_B, NAT_B, media(SSRC_B)); // both latched; then only A talks (B is held, or muted)
        long end = now + 5 * INTERVAL + MEDIA_GAP;
        while (now < end) {
            runUntil(now + MEDIA_GAP);
            arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A));
        }
        collect();

        assertThat(keepalives(toB)).as("B receives A's media: no keepalive").isEmpty();
        assertThat(toB).hasSizeGreaterThan(5 * 700);
        assertThat(keepalives(toA)).as("A has heard nothing for five intervals").hasSize(5);
        assertThat(keepalives(toA)).allSatisfy(p -> assertThat(p.recipient()).isEqualTo(NAT_A));
    }

    @Test
    void anIdleLatchedSideGetsOneKeepalivePerInterval() {
        arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A));
        arrive(bRtp, RELAY_B, NAT_B, media(SSRC_B));
        collect();
        List<Long> sentAt = new ArrayList<>();
        long end = now + 20 * INTERVAL;
        while (now < end) {
            int before = toA.size();
            runUntil(now + wheel.tickNanos());
            if (toA.size() > before) {
                sentAt.add(now);
            }
        }

        assertThat(keepalives(toA)).hasSize(20);
        assertThat(keepalives(toB)).hasSize(20);
        assertThat(sentAt).hasSize(20);
        for (int i = 1; i < sentAt.size(); i++) {
            assertThat(sentAt.get(i) - sentAt.get(i - 1)).isBetween(INTERVAL, INTERVAL + wheel.tickNanos());
        }
    }

    @Test
    void theRtpKeepaliveIsAHeaderWithAPayloadTypeNeitherSideNegotiatedFromTheSidesOwnPort() {
        b.formats(PayloadTypes.of(8, 127)); // B's answer used 127 for something
        arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A));
        arrive(bRtp, RELAY_B, NAT_B, media(SSRC_B));
        collect();
        toA.forEach(DatagramPacket::release);
        toA.clear();

        runUntil(now + 3 * INTERVAL);

        assertThat(toA).hasSize(3);
        int ssrc = toA.get(0).content().getInt(8);
        for (int i = 0; i < toA.size(); i++) {
            DatagramPacket p = toA.get(i);
            ByteBuf k = p.content();
            assertThat(p.recipient()).as("the latched mapping, not the SDP address").isEqualTo(NAT_A);
            assertThat(k.readableBytes()).isEqualTo(12);
            assertThat((int) k.getUnsignedByte(0)).as("V=2, no padding, extension or CSRC").isEqualTo(0x80);
            assertThat((int) k.getUnsignedByte(1)).as("marker 0, payload type 126: 127 is B's").isEqualTo(126);
            assertThat(k.getUnsignedShort(2)).as("sequence +1 per keepalive")
                    .isEqualTo((toA.get(0).content().getUnsignedShort(2) + i) & 0xFFFF);
            assertThat(k.getInt(8)).as("one SSRC of its own").isEqualTo(ssrc).isNotIn(SSRC_A, SSRC_B, 0);
        }
        assertThat(toARtcp).as("A's RTCP port never latched").isEmpty();
    }

    @Test
    void theRtcpPortGetsACompoundReceiverReportOnceItLatched() {
        arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A));
        runUntil(now + INTERVAL / 2);
        arrive(aRtcp, new InetSocketAddress(RELAY_A.getAddress(), 41001), NAT_A_RTCP, receiverReport(SSRC_A));
        collect();
        toB.forEach(DatagramPacket::release);
        toB.clear();
        toBRtcp.forEach(DatagramPacket::release);
        toBRtcp.clear();

        runUntil(now + 3 * INTERVAL);

        assertThat(toARtcp).hasSize(3);
        int rtpSsrc = toA.get(0).content().getInt(8);
        for (DatagramPacket p : toARtcp) {
            ByteBuf k = p.content();
            assertThat(p.recipient()).isEqualTo(NAT_A_RTCP);
            assertThat(k.readableBytes()).isEqualTo(36);
            assertThat((int) k.getUnsignedByte(1)).as("RR first").isEqualTo(201);
            assertThat(k.getUnsignedByte(0) & 0x1F).as("no report block").isZero();
            assertThat(k.getInt(4)).as("the RTP keepalive's SSRC").isEqualTo(rtpSsrc);
            assertThat((int) k.getUnsignedByte(9)).as("then SDES").isEqualTo(202);
            assertThat(k.toString(18, 16, StandardCharsets.US_ASCII)).isEqualTo("0123456789abcdef");
        }
        assertThat(keepalives(toA)).hasSize(3);
        assertThat(toB).as("B never latched").isEmpty();
    }

    @Test
    void aMuxedStreamGetsNoRtcpKeepalive() {
        arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A));
        arrive(aRtcp, new InetSocketAddress(RELAY_A.getAddress(), 41001), NAT_A_RTCP, receiverReport(SSRC_A));
        a.remote(SDP_A, SDP_A, true, false); // the answer accepted rtcp-mux

        runUntil(now + 3 * INTERVAL);

        assertThat(toARtcp).isEmpty();
        assertThat(keepalives(toA)).hasSize(3);
    }

    @Test
    void keepalivesAreNotMediaAndChangeNoLatch() {
        arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A));
        arrive(bRtp, RELAY_B, NAT_B, media(SSRC_B));
        collect();
        long lastPacketA = a.lastPacketNanos();
        long lastPacketB = b.lastPacketNanos();

        runUntil(now + 4 * INTERVAL);

        assertThat(a.keepalives()).isEqualTo(4);
        assertThat(a.keepaliveBytes()).isEqualTo(4 * 12);
        assertThat(b.keepalives()).isEqualTo(4);
        for (Endpoint e : List.of(a, b)) {
            assertThat(e.packetsIn()).as("in").isEqualTo(1);
            assertThat(e.packetsOut()).as("out: the peer's one packet").isEqualTo(1);
            assertThat(e.bytesOut()).isEqualTo(172);
            assertThat(e.dropped()).isZero();
        }
        assertThat(a.lastPacketNanos()).as("the media timeout's clock").isEqualTo(lastPacketA);
        assertThat(b.lastPacketNanos()).isEqualTo(lastPacketB);
        assertThat(a.latchedRtp()).isEqualTo(NAT_A);
        assertThat(b.latchedRtp()).isEqualTo(NAT_B);
    }

    @Test
    void nothingGoesToAnAsymmetricDisabledOrNonRtpStream() {
        arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A));
        collect();
        int sent = toA.size();

        a.policy(new LatchPolicy(false, false, false)); // a re-offer said asymmetric: media goes to SDP
        runUntil(now + 2 * INTERVAL);
        assertThat(toA).hasSize(sent);

        a.policy(new LatchPolicy(true, true, false));
        a.disable(); // port 0 in the latest SDP
        runUntil(now + 2 * INTERVAL);
        assertThat(toA).hasSize(sent);

        a.remote(SDP_A, SDP_A, false, false);
        a.describe("image", "udptl"); // T.38: an RTP packet is not for it
        runUntil(now + 2 * INTERVAL);
        assertThat(toA).hasSize(sent);

        a.describe("audio", "RTP/SAVP");
        runUntil(now + INTERVAL + wheel.tickNanos());
        assertThat(toA).as("back to an RTP stream with a latched source").hasSize(sent + 1);
        assertThat(wheel.size()).isEqualTo(1);
    }

    @Test
    void aClosedEndpointLeavesTheWheel() {
        arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A));
        arrive(bRtp, RELAY_B, NAT_B, media(SSRC_B));
        collect();
        assertThat(wheel.size()).isEqualTo(2);

        aRtp.close(); // the call was deleted
        bRtp.close();
        runUntil(now + 2 * INTERVAL);

        assertThat(wheel.size()).isZero();
        assertThat(keepalives(toA)).isEmpty();
    }

    @Test
    void noKeepaliveWhenNoPayloadTypeIsFree() {
        PayloadTypes every = PayloadTypes.NONE;
        for (int pt = 0; pt < 128; pt++) {
            every = every.with(pt);
        }
        a.formats(every);
        arrive(aRtp, RELAY_A, NAT_A, media(SSRC_A));

        runUntil(now + 2 * INTERVAL);

        assertThat(keepalives(toA)).isEmpty();
    }
}
