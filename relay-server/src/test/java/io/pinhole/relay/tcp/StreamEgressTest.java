package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Writing media to a connection: framed by stream, dropped (and released) once the connection is full. */
class StreamEgressTest {

    @Test
    void framesRtpAndRtcpOnTheStreamsOfItsMediaLine() {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamEgress egress = new StreamEgress(ch, 1, "tcp");
        assertThat(egress.write(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 8}), false)).isTrue();
        assertThat(egress.write(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 200}), true)).isTrue();
        assertThat((Object) ch.readOutbound()).as("nothing before the flush").isNull();
        egress.flush(0);
        ByteBuf rtp = ch.readOutbound();
        ByteBuf rtcp = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(rtp)).containsExactly(0, 3, 2, 0x80, 8);
        assertThat(ByteBufUtil.getBytes(rtcp)).containsExactly(0, 3, 3, 0x80, 200);
        rtp.release();
        rtcp.release();
        assertThat(egress.transport()).isEqualTo("tcp");
        ch.finishAndReleaseAll();
    }

    @Test
    void dropsInsteadOfQueueingPastTheHighWaterMark() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(200, 400));
        StreamEgress egress = new StreamEgress(ch, 0, "tcp");
        int written = 0;
        ByteBuf last = null;
        for (int i = 0; i < 100; i++) {
            last = Unpooled.buffer(172).writeZero(172);
            if (egress.write(last, false)) {
                written++;
            }
        }
        // unflushed writes count against the mark: two or three 175-byte frames reach 400 bytes
        assertThat(written).isBetween(2, 3);
        assertThat(last.refCnt()).as("a dropped packet is released").isZero();
        egress.flush(0);
        assertThat(ch.isWritable()).as("writable again once the queue drained").isTrue();
        assertThat(egress.write(Unpooled.buffer(172).writeZero(172), false)).isTrue();
        egress.flush(0);
        ch.finishAndReleaseAll();
    }
}
