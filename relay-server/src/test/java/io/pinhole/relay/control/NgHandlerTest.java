package io.pinhole.relay.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The datagram adapter with captured wire bytes, on an {@link EmbeddedChannel}. */
class NgHandlerTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40123);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 2223);

    private final AtomicInteger executions = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final NgCommand counting = new NgCommand() {
        @Override
        public String name() {
            return "offer";
        }

        @Override
        public Map<String, Object> execute(NgRequest request) {
            return Map.of("result", "ok", "n", executions.incrementAndGet());
        }
    };
    private final EmbeddedChannel channel = new EmbeddedChannel(new NgHandler(
            new NgCommandTable(List.of(new PingCommand(), counting)), new ReplyCache(30_000_000_000L, 100), "",
            clock::get));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private String exchange(String wire) {
        channel.writeInbound(new DatagramPacket(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1), SERVER, CLIENT));
        DatagramPacket reply = channel.readOutbound();
        if (reply == null) {
            return null;
        }
        try {
            assertThat(reply.recipient()).isEqualTo(CLIENT);
            return reply.content().toString(StandardCharsets.ISO_8859_1);
        } finally {
            reply.release();
        }
    }

    @Test
    void answersPingFromCapturedKamailioBytes() {
        // Kamailio reads "result" alone: the transports this relay serves ride along (UDP only here)
        assertThat(exchange("5227_1 d7:command4:pinge"))
                .isEqualTo("5227_1 d6:result4:pong10:transportsld9:transport3:udpeee");
    }

    @Test
    void retransmittedCookieIsAnsweredFromTheCacheWithoutRunningTheCommandAgain() {
        String first = exchange("c1 d7:command5:offere");
        String again = exchange("c1 d7:command5:offere");
        assertThat(again).isEqualTo(first).isEqualTo("c1 d1:ni1e6:result2:oke");
        assertThat(executions).hasValue(1);
        assertThat(exchange("c2 d7:command5:offere")).isEqualTo("c2 d1:ni2e6:result2:oke");
    }

    @Test
    void cachedReplyExpires() {
        exchange("c1 d7:command5:offere");
        clock.addAndGet(31_000_000_000L);
        assertThat(exchange("c1 d7:command5:offere")).contains("1:ni2e");
    }

    @Test
    void answersMalformedAndTruncatedInputWithErrors() {
        assertThat(exchange("c3 d7:command5:off")).isEqualTo("c3 d12:error-reason35:Could not decode bencode dictionary6:result5:errore");
        assertThat(exchange("c4 hello")).isEqualTo("c4 d12:error-reason22:Invalid NG data format6:result5:errore");
        assertThat(exchange("c5 d7:command4:nopee")).isEqualTo("c5 d12:error-reason20:Unrecognized command6:result5:errore");
        assertThat(exchange("c6 de")).isEqualTo("c6 d12:error-reason21:No command in message6:result5:errore");
    }

    @Test
    void ignoresADatagramWithoutCookie() {
        assertThat(exchange("d7:command4:pinge")).isNull();
    }
}
