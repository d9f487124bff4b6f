package io.pinhole.relay.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pinhole.relay.sdp.PayloadTypes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeepalivePacketTest {

    static Stream<Arguments> payloadTypes() {
        int[] dynamic = IntStream.rangeClosed(96, 127).toArray();
        int[] dynamicAnd63To36 = IntStream.concat(IntStream.rangeClosed(96, 127), IntStream.rangeClosed(36, 63)).toArray();
        int[] everyCandidate = IntStream.concat(IntStream.rangeClosed(96, 127), IntStream.rangeClosed(35, 63)).toArray();
        return Stream.of(
                // one side's m= line, the other's, the payload type a keepalive gets
                Arguments.of(PayloadTypes.of(8), PayloadTypes.NONE, 127),
                Arguments.of(PayloadTypes.of(0, 8, 101), PayloadTypes.of(8, 101), 127),
                Arguments.of(PayloadTypes.of(8, 127), PayloadTypes.of(8), 126),
                Arguments.of(PayloadTypes.of(8), PayloadTypes.of(127, 126, 125), 124),
                Arguments.of(PayloadTypes.of(dynamic), PayloadTypes.NONE, 63),
                Arguments.of(PayloadTypes.NONE, PayloadTypes.of(dynamic), 63),
                Arguments.of(PayloadTypes.of(dynamicAnd63To36), PayloadTypes.NONE, 35),
                // never 64-95 (RTCP's on a muxed port), never a static type
                Arguments.of(PayloadTypes.of(everyCandidate), PayloadTypes.NONE, -1));
    }

    @ParameterizedTest
    @MethodSource("payloadTypes")
    void picksAPayloadTypeNeitherSideNegotiated(PayloadTypes a, PayloadTypes b, int expected) {
        assertThat(KeepalivePacket.payloadType(a, b)).isEqualTo(expected);
        assertThat(KeepalivePacket.payloadType(b, a)).isEqualTo(expected);
    }

    @Test
    void rtpKeepaliveIsABareHeader() {
        ByteBuf out = Unpooled.buffer();
        try {
            KeepalivePacket.writeRtp(out, 127, 0x1_2345, 0xCAFEBABE, 0x0BADF00D);
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo("80" + "7f" + "2345" + "cafebabe" + "0badf00d");
            assertThat(out.readableBytes()).isEqualTo(KeepalivePacket.RTP_LENGTH);
        } finally {
            out.release();
        }
    }

    @Test
    void rtcpKeepaliveIsAnEmptyReceiverReportWithACname() {
        ByteBuf out = Unpooled.buffer();
        try {
            KeepalivePacket.writeRtcp(out, 0x11223344, "abcdefghijklmnop".getBytes(StandardCharsets.US_ASCII));
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo(
                    "80c9" + "0001" + "11223344"              // RR, RC=0, 2 words, SSRC
                    + "81ca" + "0006" + "11223344"            // SDES, SC=1, 7 words, chunk SSRC
                    + "0110" + hex("abcdefghijklmnop")        // CNAME, 16 bytes
                    + "00" + "00");                           // END, padding to 32 bits
            assertThat(out.readableBytes()).isEqualTo(36).isEqualTo(KeepalivePacket.rtcpLength(16));
        } finally {
            out.release();
        }
    }

    /** RFC 3550 A.2's checks on a compound packet, for CNAMEs of every padding case. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 16, 254, 255})
    void rtcpKeepaliveLengthsAddUpForAnyCname(int cnameLength) {
        byte[] cname = new byte[cnameLength];
        Arrays.fill(cname, (byte) 'x');
        ByteBuf out = Unpooled.buffer();
        try {
            KeepalivePacket.writeRtcp(out, 7, cname);
            assertThat(out.readableBytes()).isEqualTo(KeepalivePacket.rtcpLength(cnameLength)).isEqualTo(
                    8 + 4 + ((4 + 2 + cnameLength + 1 + 3) & ~3));
            int offset = 0;
            int packets = 0;
            while (offset < out.writerIndex()) {
                assertThat(out.getUnsignedByte(offset) >> 6).as("version").isEqualTo(2);
                assertThat(out.getUnsignedByte(offset) & 0x20).as("no padding bit").isZero();
                offset += (out.getUnsignedShort(offset + 2) + 1) * 4;
                packets++;
            }
            assertThat(offset).as("the lengths cover the datagram exactly").isEqualTo(out.writerIndex());
            assertThat(packets).isEqualTo(2);
            assertThat((int) out.getUnsignedByte(1)).as("first packet is RR").isEqualTo(201);
            assertThat(out.getUnsignedByte(out.writerIndex() - 1)).as("ends in END or padding").isZero();
        } finally {
            out.release();
        }
    }

    private static String hex(String ascii) {
        return ByteBufUtil.hexDump(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
