package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pinhole.wire.stream.MediaFrames;
import org.junit.jupiter.api.Test;

/** The media connection framing on captured bytes, without sockets. */
class StreamFrameDecoderTest {

    private static final byte[] TWO_FRAMES = {
            0x00, 0x03, 0x00, (byte) 0x80, 0x08,     // stream 0: 2 bytes of "RTP"
            0x00, 0x02, (byte) 0xFF, 0x41};          // control: "A"

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new StreamFrameDecoder(2048));
    }

    @Test
    void splitsFramesThatArriveTogether() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(TWO_FRAMES));
        ByteBuf first = ch.readInbound();
        ByteBuf second = ch.readInbound();
        assertThat(ByteBufUtil.getBytes(first)).containsExactly(0x00, 0x80, 0x08);
        assertThat(ByteBufUtil.getBytes(second)).containsExactly(0xFF, 0x41);
        first.release();
        second.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void waitsForATruncatedFrameToComplete() {
        EmbeddedChannel ch = channel();
        for (byte b : TWO_FRAMES) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b})); // one byte per read
        }
        ByteBuf first = ch.readInbound();
        ByteBuf second = ch.readInbound();
        assertThat(first.readableBytes()).isEqualTo(3);
        assertThat(second.readableBytes()).isEqualTo(2);
        first.release();
        second.release();
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x05, 0x00, 0x01})); // half a frame
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void refusesAnEmptyFrame() {
        EmbeddedChannel ch = channel();
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x00, 0x00})))
                .isInstanceOf(StreamFramingException.class).hasMessageContaining("empty frame");
        ch.finishAndReleaseAll();
    }

    @Test
    void refusesAnOversizedFrameAtItsHeader() {
        EmbeddedChannel ch = channel();
        // 2049 = stream id + the largest packet: accepted once complete
        ByteBuf max = Unpooled.buffer().writeShort(2049).writeZero(2049);
        ch.writeInbound(max);
        ByteBuf frame = ch.readInbound();
        assertThat(frame.readableBytes()).isEqualTo(2049);
        frame.release();
        // one more byte is refused before any of its body arrives
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeShort(2050)))
                .isInstanceOf(StreamFramingException.class)
                .hasMessage("oversized frame of 2050 bytes (at most 2049)");
        ch.finishAndReleaseAll();
    }

    @Test
    void encodesWhatItDecodes() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x08});
        ByteBuf frame = StreamFrames.encode(Unpooled.buffer().alloc(), MediaFrames.streamId(3, true), payload);
        assertThat(ByteBufUtil.getBytes(frame)).containsExactly(0x00, 0x03, 7, 0x80, 0x08);
        assertThat(payload.readableBytes()).as("the payload is read, not consumed").isEqualTo(2);
        EmbeddedChannel ch = channel();
        ch.writeInbound(frame);
        ByteBuf decoded = ch.readInbound();
        assertThat(decoded.readUnsignedByte()).isEqualTo((short) 7);
        assertThat(ByteBufUtil.getBytes(decoded)).containsExactly(0x80, 0x08);
        decoded.release();
        payload.release();
        ByteBuf ok = StreamFrames.control(Unpooled.buffer().alloc(), "OK");
        assertThat(ByteBufUtil.getBytes(ok)).containsExactly(0x00, 0x03, 0xFF, 'O', 'K');
        ok.release();
        ch.finishAndReleaseAll();
    }
}
