package io.pinhole.edge.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipStreamDecoderTest {

    private static final String MSG = "SIP/2.0 200 OK\r\nCSeq: 1 REGISTER\r\nContent-Length: 3\r\n\r\nabc";

    @Test
    void cutsMessagesAcrossReadsAndTellsPongsFromPings() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipStreamDecoder());
        byte[] all = ("\r\n" + MSG + MSG + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        ch.writeInbound(Unpooled.wrappedBuffer(all, 0, 20));
        ch.writeInbound(Unpooled.wrappedBuffer(all, 20, all.length - 20));

        assertThat((Object) ch.readInbound()).isSameAs(SipStreamDecoder.PONG);
        assertThat(new String((byte[]) ch.readInbound(), StandardCharsets.UTF_8)).isEqualTo(MSG);
        assertThat(new String((byte[]) ch.readInbound(), StandardCharsets.UTF_8)).isEqualTo(MSG);
        assertThat((Object) ch.readInbound()).as("the proxy's CRLFCRLF ping").isSameAs(SipStreamDecoder.PING);
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void truncatedMessageWaitsForTheRest() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipStreamDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(MSG.substring(0, MSG.length() - 1).getBytes(StandardCharsets.UTF_8)));
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void malformedContentLengthBreaksTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipStreamDecoder());
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(
                "SIP/2.0 200 OK\r\nContent-Length: x\r\n\r\n".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("Content-Length");
        ch.finishAndReleaseAll();
    }
}
