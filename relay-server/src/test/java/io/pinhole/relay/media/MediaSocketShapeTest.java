package io.pinhole.relay.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.pinhole.relay.support.FreeUdpPorts;
import io.pinhole.wire.stun.BindingResponder;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every media socket holds, since an established call holds four of them and the relay's
 * heap per call is mostly theirs: one pipeline handler (STUN answered from inside it, not by a
 * second handler with a context of its own) and the transport's one receive-size allocator.
 */
class MediaSocketShapeTest {

    private final MediaTransport transport = new MediaTransport(InetAddress.getLoopbackAddress(), 1, 2048, 16,
            new BindingResponder("shape"), 0);

    @AfterEach
    void close() {
        transport.close();
    }

    @Test
    void aMediaSocketHasOneHandlerAndSharesTheTransportsReceiveAllocator() throws Exception {
        Endpoint a = new Endpoint(FreeUdpPorts.pair(), transport.nextLoop(), new LatchPolicy(true, false, false));
        Endpoint b = new Endpoint(FreeUdpPorts.pair(), a.loop(), new LatchPolicy(true, false, false));
        assertThat(transport.bind(List.of(a, b))).isEmpty();

        for (Channel c : List.of(a.rtpChannel(), a.rtcpChannel(), b.rtpChannel(), b.rtcpChannel())) {
            assertThat(c.pipeline().names()).hasSize(2); // ours and the pipeline's tail
            assertThat((Object) c.pipeline().first()).isInstanceOf(ForwardingHandler.class);
            Object allocator = c.config().getRecvByteBufAllocator();
            assertThat(allocator).isSameAs(a.rtpChannel().config().getRecvByteBufAllocator());
        }
    }
}
