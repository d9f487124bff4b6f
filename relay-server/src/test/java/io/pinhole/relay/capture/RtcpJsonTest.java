package io.pinhole.relay.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RtcpJsonTest {

    /** A sender report with one report block, then an SDES with a CNAME: what phones send every few seconds. */
    static byte[] senderReport(int packets, int lost) {
        ByteBuffer b = ByteBuffer.allocate(52 + 12);
        b.put((byte) 0x81).put((byte) 200).putShort((short) 12).putInt(0x1234)
                .putInt(0xE8000000).putInt(0x80000000).putInt(160_000).putInt(packets).putInt(packets * 160)
                .putInt(0x5678).put((byte) 25).put((byte) (lost >> 16)).putShort((short) lost)
                .putInt(1000).putInt(42).putInt(0x00010002).putInt(655);
        b.put((byte) 0x81).put((byte) 202).putShort((short) 2).putInt(0x1234)
                .put((byte) 1).put((byte) 1).put((byte) 'a').put((byte) 0);
        return b.array();
    }

    @Test
    void senderReportBecomesHomersJson() {
        assertThat(RtcpJson.of(senderReport(250, 3))).isEqualTo("{\"ssrc\":4660,\"type\":200,\"report_count\":1,"
                + "\"sender_information\":{\"ntp_timestamp_sec\":3892314112,\"ntp_timestamp_usec\":500000,"
                + "\"rtp_timestamp\":160000,\"packets\":250,\"octets\":40000},"
                + "\"report_blocks\":[{\"source_ssrc\":22136,\"fraction_lost\":25,\"packets_lost\":3,"
                + "\"highest_seq_no\":1000,\"ia_jitter\":42,\"lsr\":65538,\"dlsr\":655}],\"sdes_ssrc\":4660}");
    }

    @Test
    void cumulativeLossIsSigned24Bits() {
        assertThat(RtcpJson.of(senderReport(10, 0xFFFFFF))).contains("\"packets_lost\":-1");
    }

    @Test
    void receiverReportWithoutBlocks() {
        byte[] rr = ByteBuffer.allocate(8).put((byte) 0x80).put((byte) 201).putShort((short) 1).putInt(7).array();
        assertThat(RtcpJson.of(rr)).isEqualTo("{\"ssrc\":7,\"type\":201,\"report_count\":0,\"report_blocks\":[]}");
    }

    @Test
    void whatIsNotAReportGivesNothing() {
        byte[] bye = ByteBuffer.allocate(8).put((byte) 0x81).put((byte) 203).putShort((short) 1).putInt(7).array();
        assertThat(RtcpJson.of(bye)).isNull();
        assertThat(RtcpJson.of(new byte[] {1, 2, 3})).isNull();
        byte[] rtp = ByteBuffer.allocate(12).put((byte) 0x80).put((byte) 8).array();
        assertThat(RtcpJson.of(rtp)).as("RTP is not RTCP").isNull();
    }

    @Test
    void lengthsThatLieAreRefused() {
        byte[] sr = senderReport(1, 0);
        sr[3] = 40; // 164 bytes promised in a 64-byte datagram
        assertThat(RtcpJson.of(sr)).isNull();
        byte[] rr = ByteBuffer.allocate(8).put((byte) 0x83).put((byte) 201).putShort((short) 1).putInt(7).array();
        assertThat(RtcpJson.of(rr)).as("three report blocks promised, none there").isNull();
    }
}
