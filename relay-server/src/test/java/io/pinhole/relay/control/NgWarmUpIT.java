package io.pinhole.relay.control;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.OfferAnswer;
import io.pinhole.relay.media.MediaTransport;
import io.pinhole.relay.ports.PortPool;
import io.pinhole.relay.stats.RelayStatistics;
import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.Sdp;
import io.pinhole.wire.stun.BindingResponder;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The start-up warm-up: whole calls on real sockets, nothing of them left or counted afterwards. */
class NgWarmUpIT {

    private final MediaTransport transport = new MediaTransport(InetAddress.getLoopbackAddress(), 1, 2048, 16,
            new BindingResponder("test"), 0);

    private final EventLoopGroup control = NgServer.controlGroup();

    @AfterEach
    void close() {
        transport.close();
        control.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private NgWarmUp warmUp(CallRegistry registry) {
        OfferAnswer offerAnswer = new OfferAnswer(registry, transport, "127.0.0.1", false, System::nanoTime);
        return new NgWarmUp(NgCommands.table(offerAnswer, registry, new RelayStatistics(), true),
                (EventLoop) control.next(), InetAddress.getLoopbackAddress());
    }

    @Test
    void runsWholeCallsAndGivesEveryPortBack() throws Exception {
        PortPool ports = new PortPool(45000, 45099, 0, System::nanoTime);
        CallRegistry registry = new CallRegistry(ports);

        NgWarmUp.Outcome outcome = warmUp(registry).run(50);

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.calls()).isEqualTo(50);
        assertThat(registry.createdCount()).isEqualTo(50);
        assertThat(registry.deletedCount()).isEqualTo(50);
        assertThat(registry.size()).isZero();
        eventually(Duration.ofSeconds(5), () -> ports.inUse() == 0, "port pairs still bound");
    }

    @Test
    void stopsAtTheFirstFailedCommandAndSaysWhy() throws Exception {
        // Two pairs: one call's worth, and a 60 s quiet period keeps them from the second call.
        PortPool ports = new PortPool(45100, 45103, TimeUnit.SECONDS.toNanos(60), System::nanoTime);
        CallRegistry registry = new CallRegistry(ports);

        NgWarmUp.Outcome outcome = warmUp(registry).run(5);

        assertThat(outcome.calls()).isEqualTo(1);
        assertThat(outcome.failure()).startsWith("offer: error").containsIgnoringCase("port");
        assertThat(registry.size()).isZero();
    }

    @Test
    void aWarmedRelayCountsAndListsOnlyRealCalls() throws Exception {
        try (OurRelay relay = new OurRelay(OurRelay.testDefaults().withWarmUp(100));
             NgClient ng = new NgClient(relay.ng())) {
            assertThat(ng.call(Map.of("command", "list"))).containsEntry("result", "ok")
                    .satisfies(reply -> assertThat((java.util.List<?>) reply.get("calls")).isEmpty());

            Map<String, Object> offered = ng.call(Map.of("command", "offer", "call-id", "real-1", "from-tag", "a",
                    "sdp", Sdp.audio("127.0.0.1", 6000)));
            assertThat(offered).containsEntry("result", "ok");
            // The range's second pair (the first faces the caller): the warm-up's ports came from a pool of its own.
            assertThat(Sdp.port((String) offered.get("sdp"), 0)).isEqualTo(OurRelay.PORT_MIN + 2);

            eventually(Duration.ofSeconds(5), () -> {
                Map<?, ?> totals = (Map<?, ?>) ng.call(Map.of("command", "statistics")).get("statistics");
                return Long.valueOf(1).equals(((Map<?, ?>) totals.get("totalstatistics")).get("managedsessions"));
            }, "statistics count the one real call, none of the warm-up's");
        }
    }
}
