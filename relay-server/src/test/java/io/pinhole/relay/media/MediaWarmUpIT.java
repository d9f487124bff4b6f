package io.pinhole.relay.media;

import static io.pinhole.testsupport.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.pinhole.relay.support.NgClient;
import io.pinhole.relay.support.OurRelay;
import io.pinhole.relay.support.Sdp;
import io.pinhole.wire.stun.BindingResponder;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The start-up media warm-up: packets through a scratch stream on real sockets, nothing of it left or counted. */
class MediaWarmUpIT {

    private static final LatchPolicy STRICT = new LatchPolicy(true, true, false);

    private final MediaTransport transport = new MediaTransport(InetAddress.getLoopbackAddress(), 1, 2048, 16,
            new BindingResponder("test"), TimeUnit.SECONDS.toNanos(15));

    @AfterEach
    void close() {
        transport.close();
    }

    @Test
    void forwardsBothWaysAndFreesItsPortsBeforeItReturns() throws Exception {
        MediaWarmUp.Outcome outcome = new MediaWarmUp(transport).run(45200, 45202, STRICT,
                TimeUnit.SECONDS.toNanos(30), 5_000);

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.packets()).isBetween(5_000L, 5_000L + 32);
        // every RTP and RTCP port is free again at once: a real call can bind it
        for (int port = 45200; port <= 45203; port++) {
            int p = port;
            assertThatNoException().as("port %d", p).isThrownBy(() -> {
                new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p)).close();
            });
        }
    }

    @Test
    void stopsAtItsTimeLimit() {
        MediaWarmUp.Outcome outcome = new MediaWarmUp(transport).run(45204, 45206, STRICT,
                TimeUnit.MILLISECONDS.toNanos(300), Long.MAX_VALUE);

        // no packet count: a JVM's very first forwarded packet may take longer than the limit
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.millis()).isBetween(300L, 3_000L);
    }

    @Test
    void saysWhyWhenItsPortIsTaken() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 45210))) {
            MediaWarmUp.Outcome outcome = new MediaWarmUp(transport).run(45208, 45210, STRICT,
                    TimeUnit.SECONDS.toNanos(1), 1_000);

            assertThat(outcome.packets()).isZero();
            assertThat(outcome.failure()).contains("45210");
        }
        // what did bind was closed again
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 45208)).close();
    }

    @Test
    void aWarmedRelayListsCountsAndHoldsNothingOfIt() throws Exception {
        try (OurRelay relay = new OurRelay(OurRelay.testDefaults().withMediaWarmUp(Duration.ofMillis(500)));
             NgClient ng = new NgClient(relay.ng())) {
            assertThat((List<?>) ng.call(Map.of("command", "list")).get("calls")).isEmpty();

            Map<String, Object> offered = ng.call(Map.of("command", "offer", "call-id", "real-1", "from-tag", "a",
                    "sdp", Sdp.audio("127.0.0.1", 6000)));
            assertThat(offered).containsEntry("result", "ok");
            // the range's second pair (the first faces the caller): the warm-up used both and let them go
            assertThat(Sdp.port((String) offered.get("sdp"), 0)).isEqualTo(OurRelay.PORT_MIN + 2);

            eventually(Duration.ofSeconds(5), () -> {
                Map<?, ?> statistics = (Map<?, ?>) ng.call(Map.of("command", "statistics")).get("statistics");
                Map<?, ?> totals = (Map<?, ?>) statistics.get("totalstatistics");
                Map<?, ?> current = (Map<?, ?>) statistics.get("currentstatistics");
                return Long.valueOf(1).equals(totals.get("managedsessions"))
                        && Long.valueOf(0).equals(totals.get("packets"))
                        && Long.valueOf(2).equals(current.get("portpairsinuse"));
            }, "statistics show the one real call, its two port pairs and no packet: none of the warm-up's");
        }
    }
}
