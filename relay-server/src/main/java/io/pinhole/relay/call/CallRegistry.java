package io.pinhole.relay.call;

import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.ports.PortPool;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live calls by Call-ID, and the totals of calls already gone. Confined to the control thread
 * (see {@link Call}); teardown closes channels and gives ports back once they have closed.
 */
public final class CallRegistry {

    private final Map<String, Call> calls = new LinkedHashMap<>();
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
        for (Endpoint e : call.endpoints()) {
            closedTotals = closedTotals.plus(e);
            close(e);
        }
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
