package io.pinhole.relay.call;

import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.media.LatchPolicy;
import io.pinhole.relay.media.MediaTransport;
import io.pinhole.relay.media.RtcpTap;
import io.pinhole.relay.ports.PortPool;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Takes port pairs from the pool and binds an endpoint on each, for a call's new streams: all or
 * nothing. A port someone else holds goes back to the end of the pool's queue and another is
 * tried, a bounded number of times. Runs on the control thread; SDP is not its business.
 */
final class EndpointBinder {

    private static final int BIND_ATTEMPTS = 4;

    private final CallRegistry registry;
    private final PortPool ports;
    private final MediaTransport transport;
    private final boolean relatchOnNewSsrc;
    private final Function<String, RtcpTap> rtcpTaps;

    /** @param rtcpTaps who sees the RTCP of a call's endpoints, by Call-ID (null from it = nobody) */
    EndpointBinder(CallRegistry registry, MediaTransport transport, boolean relatchOnNewSsrc,
                   Function<String, RtcpTap> rtcpTaps) {
        this.registry = registry;
        this.ports = registry.ports();
        this.transport = transport;
        this.relatchOnNewSsrc = relatchOnNewSsrc;
        this.rtcpTaps = rtcpTaps;
    }

    /**
     * Binds {@code 2 * streams} endpoints on the call's event loop: for stream i, the endpoint at
     * 2i faces the offerer and 2i+1 the answerer. Each latches as a placeholder policy until the
     * SDP says how its side is treated.
     *
     * @throws CallException "Ran out of ports" or "Failed to bind media ports"; nothing is held then
     */
    List<Endpoint> bind(Call call, int streams) throws CallException {
        LatchPolicy placeholder = new LatchPolicy(true, true, relatchOnNewSsrc);
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            List<Integer> pairs = ports.allocate(streams * 2);
            if (pairs.isEmpty()) {
                throw new CallException("Ran out of ports");
            }
            List<Endpoint> bound = new ArrayList<>(pairs.size());
            RtcpTap tap = rtcpTaps.apply(call.callId());
            for (int port : pairs) {
                Endpoint endpoint = new Endpoint(port, call.loop(), placeholder);
                endpoint.rtcpTap(tap);
                bound.add(endpoint);
            }
            List<Endpoint> failed = transport.bind(bound);
            if (failed.isEmpty()) {
                return bound;
            }
            for (Endpoint e : bound) {
                if (failed.contains(e)) {
                    ports.release(e.rtpPort()); // someone else holds this port: it goes to the back of the queue
                } else {
                    registry.close(e);
                }
            }
        }
        throw new CallException("Failed to bind media ports");
    }
}
