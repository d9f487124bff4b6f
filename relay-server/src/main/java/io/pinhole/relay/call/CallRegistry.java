package io.pinhole.relay.call;

import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.ports.PortPool;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live calls by Call-ID, their sides by stream token, and the totals of calls already gone.
 * Confined to the control thread (see {@link Call}); teardown closes channels (TCP/TLS
 * connections included) and gives ports back once they have closed.
 */
public final class CallRegistry {

    private final Map<String, Call> calls = new LinkedHashMap<>();
    private final Map<String, StreamGrant> byToken = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final PortPool ports;
    private Totals closedTotals = Totals.ZERO;
    private long created;
    private long timedOut;
    private long deleted;

    public CallRegistry(PortPool ports) {
        this.ports = ports;
    }

    public Call find(String callId) {
        return calls.get(callId);
    }

    void add(Call call) {
        calls.put(call.callId(), call);
        created++;
    }

    public Collection<Call> calls() {
        return Collections.unmodifiableCollection(calls.values());
    }

    public int size() {
        return calls.size();
    }

    /** Removes the call and frees its ports; the reason decides which counter it lands in. */
    public void remove(Call call, boolean timeout) {
        if (calls.remove(call.callId()) != call) {
            return;
        }
        if (timeout) {
            timedOut++;
        } else {
            deleted++;
        }
        for (Side side : new Side[] {call.first(), call.second()}) {
            if (side.streamToken() != null) {
                byToken.remove(side.streamToken());
            }
            for (StreamConnection c : new ArrayList<>(side.streams())) {
                c.close();
            }
        }
        for (Endpoint e : call.endpoints()) {
            closedTotals = closedTotals.plus(e);
            close(e);
        }
    }

    /**
     * The token with which a TCP/TLS connection carries this side's media: 128 random bits, made
     * on the first request and the same for the rest of the call (a phone that reconnects uses it
     * again). It is valid while the call lives.
     */
    public String streamToken(Call call, Side side) {
        if (side.streamToken() == null) {
            byte[] bits = new byte[16];
            random.nextBytes(bits);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
            side.streamToken(token);
            byToken.put(token, new StreamGrant(call, side));
        }
        return side.streamToken();
    }

    /** The call and side a token was issued for, or null when it is unknown or its call is gone. */
    public StreamGrant findStream(String token) {
        return byToken.get(token);
    }

    /** Closes an endpoint's two sockets, then returns its pair to the pool. */
    void close(Endpoint e) {
        if (e.rtpChannel() == null) {
            ports.release(e.rtpPort());
            return;
        }
        e.rtpChannel().close().addListener(f -> e.rtcpChannel().close().addListener(g -> ports.release(e.rtpPort())));
    }

    /** Totals over live and closed calls. */
    public Totals totals() {
        Totals t = closedTotals;
        for (Call c : calls.values()) {
            for (Endpoint e : c.endpoints()) {
                t = t.plus(e);
            }
        }
        return t;
    }

    public long createdCount() {
        return created;
    }

    public long timedOutCount() {
        return timedOut;
    }

    public long deletedCount() {
        return deleted;
    }

    public PortPool ports() {
        return ports;
    }
}
