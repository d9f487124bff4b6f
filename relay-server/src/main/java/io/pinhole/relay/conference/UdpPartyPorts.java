package io.pinhole.relay.conference;

import io.netty.channel.Channel;
import io.pinhole.relay.media.MediaTransport;
import io.pinhole.relay.ports.PortPool;
import java.util.List;

/**
 * A party's port pair from the relay's own pool (the one relayed calls use), bound on the
 * conference loop with a {@link PartyHandler} on RTP and an {@link RtcpSink} on RTCP. A port
 * someone else holds goes to the back of the queue and the next one is tried, as for calls.
 */
public final class UdpPartyPorts implements PartyPorts {

    private static final int BIND_ATTEMPTS = 4;

    private final PortPool pool;
    private final MediaTransport transport;

    public UdpPartyPorts(PortPool pool, MediaTransport transport) {
        this.pool = pool;
        this.transport = transport;
    }

    @Override
    public void open(Party party) throws ConferenceException {
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            List<Integer> pair = pool.allocate(1);
            if (pair.isEmpty()) {
                throw new ConferenceException("no ports: the relay's port range is used up");
            }
            int port = pair.get(0);
            Channel[] bound = transport.bindConference(port, new PartyHandler(party), RtcpSink.INSTANCE);
            if (bound == null) {
                pool.release(port);
                continue;
            }
            party.bound(port, bound[0], bound[1]);
            return;
        }
        throw new ConferenceException("no ports: failed to bind media ports");
    }

    @Override
    public void close(Party party) {
        Channel rtp = party.rtpChannel();
        Channel rtcp = party.rtcpChannel();
        int port = party.rtpPort();
        rtp.close().addListener(f -> rtcp.close().addListener(g -> pool.release(port)));
    }
}
