package io.pinhole.relay.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A loop's open media sockets, linked through their handlers: what joins, what leaves, what close() closes. */
class OpenSocketsTest {

    private final OpenSockets open = new OpenSockets();

    private EmbeddedChannel socket(Endpoint endpoint, boolean rtcp) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(new ForwardingHandler(endpoint, rtcp, null, System::nanoTime, null, open));
        return channel;
    }

    @Test
    void aClosedSocketLeavesAndCloseAllClosesTheRest() {
        Endpoint endpoint = new Endpoint(41000, new EmbeddedChannel().eventLoop(), new LatchPolicy(true, false, false));
        EmbeddedChannel first = socket(endpoint, false);
        EmbeddedChannel middle = socket(endpoint, true);
        EmbeddedChannel last = socket(endpoint, false);

        middle.close();
        middle.runPendingTasks();
        List<ChannelFuture> closing = open.closeAll();

        assertThat(closing).hasSize(2).allMatch(ChannelFuture::isDone);
        assertThat(first.isOpen()).isFalse();
        assertThat(last.isOpen()).isFalse();
        first.runPendingTasks();
        last.runPendingTasks();
        assertThat(open.isEmpty()).isTrue();
    }

    @Test
    void closingEverySocketEmptiesTheList() {
        Endpoint endpoint = new Endpoint(41000, new EmbeddedChannel().eventLoop(), new LatchPolicy(true, false, false));
        EmbeddedChannel only = socket(endpoint, false);
        assertThat(open.isEmpty()).isFalse();

        only.close();
        only.runPendingTasks();

        assertThat(open.isEmpty()).isTrue();
        assertThat(open.closeAll()).isEmpty();
    }
}
