package io.pinhole.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pinhole.wire.fuzz.FuzzLoop;
import io.pinhole.wire.stream.MediaFrames;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 4571 framing of TCP/TLS media connections ({@link StreamFrameDecoder}, then the hello's
 * {@link Hello#token}) on mutated byte streams cut into arbitrary reads: the only failure is a
 * {@link StreamFramingException}, no frame is larger than allowed, and the decoder never holds
 * more than one frame's bytes.
 */
class StreamFramesFuzzTest {

    private static final int MAX_PACKET = 2048;

    private static List<byte[]> seeds() {
        byte[] rtp = new byte[172];
        rtp[0] = (byte) 0x80;
        byte[] hello = MediaFrames.hello("AbCdEf0123456789-_xyz");
        byte[] media = MediaFrames.frame(0, rtp, 0, rtp.length);
        byte[] rtcp = MediaFrames.frame(1, rtp, 0, 8);
        byte[] heartbeat = MediaFrames.frame(MediaFrames.CONTROL, new byte[0], 0, 0);
        return List.of(concat(hello, media, rtcp, heartbeat), hello, concat(media, media), heartbeat);
    }

    @Test
    void framingNeverThrowsOtherThanAFramingErrorNorBuffersMoreThanAFrame() throws Exception {
        long inputs = FuzzLoop.of("rfc4571", seeds(), false, StreamFramingException.class).atLeast(301).seconds(3).run(input -> {
            EmbeddedChannel channel = new EmbeddedChannel(new StreamFrameDecoder(MAX_PACKET));
            try {
                // the same bytes in reads of a size derived from the input, as TCP may cut them
                int chunk = 1 + (input.length == 0 ? 0 : (input[input.length - 1] & 0x0f));
                for (int at = 0; at < input.length; at += chunk) {
                    int n = Math.min(chunk, input.length - at);
                    channel.writeInbound(Unpooled.wrappedBuffer(input, at, n));
                    ByteBuf frame;
                    while ((frame = channel.readInbound()) != null) {
                        try {
                            assertThat(frame.readableBytes()).isBetween(1, MAX_PACKET + 1);
                            int streamId = frame.getUnsignedByte(frame.readerIndex());
                            Hello.token(streamId, frame.slice(frame.readerIndex() + 1, frame.readableBytes() - 1));
                        } finally {
                            frame.release();
                        }
                    }
                }
            } catch (StreamFramingException e) {
                assertThat(e.getMessage()).isNotBlank();
                throw e;
            } finally {
                channel.finishAndReleaseAll();
            }
        });
        assertThat(inputs).isGreaterThan(300); // slow per input: paranoid leak detection tracks every buffer
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
