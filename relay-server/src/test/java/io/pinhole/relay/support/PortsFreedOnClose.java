package io.pinhole.relay.support;

import static io.pinhole.relay.support.NgRequests.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.config.RelayProperties;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two relays, one after the other, on one stream's two port pairs, each closed with its call
 * still up: the second binds exactly the ports the first held, media flows through it, and the
 * moment each relay's {@code close()} has returned every one of its four ports can be bound again
 * (no wait, no retry: a socket that stays bound a moment after the close is what made a later test
 * get other ports than the ones it expected). Shared by the epoll and io_uring ITs.
 */
public final class PortsFreedOnClose {

    private PortsFreedOnClose() {
    }

    /** Runs the check on relays built from {@code base}, narrowed to one stream's port pairs. */
    public static void check(RelayProperties base) throws Exception {
        RelayProperties p = base.withPorts(OurRelay.PORT_MIN, OurRelay.PORT_MIN + 3, Duration.ZERO);
        List<Integer> firstRelaysPorts = null;
        for (int relayNo = 0; relayNo < 2; relayNo++) {
            List<Integer> ports;
            try (RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
                try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng())) {
                    String callId = "left-open-" + relayNo;
                    Map<String, Object> offer = ng.call(req("offer", callId, "from-tag", "a",
                            "sdp", Sdp.audio("127.0.0.1", a.port())));
                    assertThat(offer).as("relay %d binds the range", relayNo).containsEntry("result", "ok");
                    String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                            "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp");
                    int towardsA = Sdp.port(answered, 0);
                    int towardsB = Sdp.port((String) offer.get("sdp"), 0);
                    ports = List.of(towardsB, towardsB + 1, towardsA, towardsA + 1);
                    a.send(Sdp.media(answered, 0));
                    b.send(Sdp.media((String) offer.get("sdp"), 0));
                    assertThat(b.receive(1, 2000)).isEqualTo(1);
                    assertThat(a.receive(1, 2000)).isEqualTo(1);
                    // closed with the call still up: its sockets are open when close() starts
                }
                assertThat(unbindable(ports)).as("ports of relay %d still bound right after its close()", relayNo)
                        .isEmpty();
            }
            if (firstRelaysPorts == null) {
                firstRelaysPorts = ports;
            } else {
                assertThat(ports).as("the second relay's ports").containsExactlyInAnyOrderElementsOf(firstRelaysPorts);
            }
        }
    }

    /** The ports of {@code ports} a socket of this JVM cannot bind now, on the wildcard address. */
    private static List<Integer> unbindable(List<Integer> ports) {
        List<Integer> held = new ArrayList<>();
        for (int port : ports) {
            try (DatagramSocket probe = new DatagramSocket(port)) {
                // bound: free
            } catch (SocketException e) {
                held.add(port);
            }
        }
        return held;
    }
}
