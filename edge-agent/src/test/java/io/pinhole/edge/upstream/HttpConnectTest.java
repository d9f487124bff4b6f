package io.pinhole.edge.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpConnectTest {

    private final List<String> established = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new HttpConnect("203.0.113.1:443", "10.0.1.1:8888", ctx -> established.add("open")));
    }

    @Test
    void asksForTheTunnelAndOnceTheProxyOpensItPassesWhatFollowsAndLeaves() {
        EmbeddedChannel ch = channel();
        ByteBuf request = ch.readOutbound();
        assertThat(request.toString(StandardCharsets.US_ASCII))
                .isEqualTo("CONNECT 203.0.113.1:443 HTTP/1.1\r\nHost: 203.0.113.1:443\r\nUser-Agent: pinhole-edge\r\n\r\n");
        request.release();

        ch.writeInbound(ascii("HTTP/1.0 200 Connection established\r\nProxy-agent: tiny"));
        assertThat(established).as("not before the whole answer").isEmpty();
        ch.writeInbound(ascii("proxy/1.11\r\n\r\nSIP/2.0 200 OK\r\n"));

        assertThat(established).containsExactly("open");
        ByteBuf after = ch.readInbound();
        assertThat(after.toString(StandardCharsets.US_ASCII)).isEqualTo("SIP/2.0 200 OK\r\n");
        after.release();
        assertThat(ch.pipeline().get(HttpConnect.class)).as("gone once the tunnel is open").isNull();
        assertThat(ch.isActive()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void aRefusalClosesTheConnection() {
        EmbeddedChannel ch = channel();
        ((ByteBuf) ch.readOutbound()).release();

        ch.writeInbound(ascii("HTTP/1.0 403 Access violation\r\nContent-Length: 0\r\n\r\n"));

        assertThat(established).isEmpty();
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void readsTheStatusOfAnAnswersFirstLine() {
        assertThat(HttpConnect.status("HTTP/1.1 200 Connection established")).isEqualTo(200);
        assertThat(HttpConnect.status("HTTP/1.0 407 Proxy Authentication Required")).isEqualTo(407);
        assertThat(HttpConnect.status("SIP/2.0 200 OK")).isEqualTo(-1);
        assertThat(HttpConnect.status("HTTP/1.1 abc")).isEqualTo(-1);
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
