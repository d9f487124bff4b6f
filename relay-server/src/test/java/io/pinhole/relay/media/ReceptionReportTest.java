package io.pinhole.relay.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceptionReportTest {

    /** An SDES then a receiver report with one block: the report is found after another packet of the compound. */
    private static ByteBuf sdesThenReceiverReport(long source, long highest, int lost) {
        ByteBuffer b = ByteBuffer.allocate(12 + 32);
        b.put((byte) 0x81).put((byte) 202).putShort((short) 2).putInt(0x1234)
                .put((byte) 1).put((byte) 1).put((byte) 'a').put((byte) 0);
        b.put((byte) 0x81).put((byte) 201).putShort((short) 7).putInt(0x1234)
                .putInt((int) source).put((byte) 0).put((byte) (lost >> 16)).putShort((short) lost)
                .putInt((int) highest).putInt(3).putInt(0).putInt(0);
        return Unpooled.wrappedBuffer(b.array());
    }

    @Test
    void aReceiverReportsBlocksAreRead() {
        ByteBuf rtcp = sdesThenReceiverReport(0xF0000001L, 0x0001_2345L, 7);
        ReceptionReport report = ReceptionReport.of(rtcp, 99);

        assertThat(report).isEqualTo(new ReceptionReport(99, 0x1234, ReceptionReport.RR, null,
                List.of(new ReceptionReport.Block(0xF0000001L, 0, 7, 0x12345, 3, 0, 0)), 0x1234));
        assertThat(rtcp.readerIndex()).as("read without consuming: the packet is forwarded after").isZero();
    }

    @Test
    void lossIsSigned24Bits() {
        assertThat(ReceptionReport.of(sdesThenReceiverReport(1, 2, 0xFFFFFF), 0).blocks().get(0).lost()).isEqualTo(-1);
    }

    @Test
    void whatIsNotAReportGivesNothing() {
        ByteBuf bye = Unpooled.wrappedBuffer(ByteBuffer.allocate(8).put((byte) 0x81).put((byte) 203).putShort((short) 1)
                .putInt(7).array());
        assertThat(ReceptionReport.of(bye, 0)).isNull();
        ByteBuf lying = sdesThenReceiverReport(1, 2, 3);
        lying.setShort(14, 40); // the report promises more than the datagram holds
        assertThat(ReceptionReport.of(lying, 0)).isNull();
        ByteBuf tooManyBlocks = Unpooled.wrappedBuffer(ByteBuffer.allocate(8).put((byte) 0x83).put((byte) 201)
                .putShort((short) 1).putInt(7).array());
        assertThat(ReceptionReport.of(tooManyBlocks, 0)).as("three report blocks promised, none there").isNull();
    }

    @Test
    void aSenderReportCarriesItsSenderInformation() {
        ByteBuf sr = Unpooled.wrappedBuffer(ByteBuffer.allocate(28).put((byte) 0x80).put((byte) 200).putShort((short) 6)
                .putInt(5).putInt(0xE8000000).putInt(0x80000000).putInt(160_000).putInt(250).putInt(40_000).array());
        ReceptionReport report = ReceptionReport.of(sr, 0);

        assertThat(report.sender()).isEqualTo(new ReceptionReport.SenderInfo(0xE8000000L, 0x80000000L, 160_000, 250, 40_000));
        assertThat(report.blocks()).isEmpty();
        assertThat(report.sdesSsrc()).as("no SDES in the compound").isEqualTo(-1);
    }
}
