package io.pinhole.relay.support;

import static io.pinhole.relay.support.NgRequests.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.pinhole.relay.config.RelayProperties;
import java.time.Duration;
import java.util.Map;

/**
 * Two relays, one after the other, on one stream's two port pairs, the first closed with its call
 * still up: the second binds exactly the ports the first held, and media flows through it. Shared
 * by the epoll and io_uring ITs, whose sockets are closed by different paths (the loops' shutdown,
 * the transport's channel group).
 */
public final class PortsFreedOnClose {

    private PortsFreedOnClose() {
    }

    /** Runs the check on relays built from {@code base}, narrowed to one stream's port pairs. */
    public static void check(RelayProperties base) throws Exception {
        RelayProperties p = base.withPorts(OurRelay.PORT_MIN, OurRelay.PORT_MIN + 3, Duration.ZERO);
        for (int relayNo = 0; relayNo < 2; relayNo++) {
            try (OurRelay relay = new OurRelay(p); NgClient ng = new NgClient(relay.ng());
                 RtpPeer a = new RtpPeer(0xA); RtpPeer b = new RtpPeer(0xB)) {
                String callId = "left-open-" + relayNo;
                Map<String, Object> offer = ng.call(req("offer", callId, "from-tag", "a",
                        "sdp", Sdp.audio("127.0.0.1", a.port())));
                assertThat(offer).as("relay %d binds the range", relayNo).containsEntry("result", "ok");
                String answered = (String) ng.call(req("answer", callId, "from-tag", "a", "to-tag", "b",
                        "sdp", Sdp.audio("127.0.0.1", b.port()))).get("sdp");
                a.send(Sdp.media(answered, 0));
                b.send(Sdp.media((String) offer.get("sdp"), 0));
                assertThat(b.receive(1, 2000)).isEqualTo(1);
                assertThat(a.receive(1, 2000)).isEqualTo(1);
                // closed with the call still up: its sockets are open when the media loops stop
            }
        }
    }
}
