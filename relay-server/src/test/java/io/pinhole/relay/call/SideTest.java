package io.pinhole.relay.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.media.IceCredentials;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A side's ICE credentials: none until a leg forces ICE, then the same pair for the whole call. */
class SideTest {

    @Test
    void iceCredentialsAreMadeOnFirstUseAndKept() {
        Side side = new Side("a");
        AtomicInteger made = new AtomicInteger();
        IceCredentials first = side.ice(() -> new IceCredentials("uf" + made.incrementAndGet(), "pw"));
        IceCredentials again = side.ice(() -> new IceCredentials("uf" + made.incrementAndGet(), "pw"));
        assertThat(again).isSameAs(first);
        assertThat(made).hasValue(1);
    }
}
