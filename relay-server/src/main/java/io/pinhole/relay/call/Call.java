package io.pinhole.relay.call;

import io.netty.channel.EventLoop;
import io.pinhole.relay.media.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * One relayed call and everything it holds.
 *
 * <h2>Ownership tree</h2>
 * <pre>
 * Call (call-id)                     control thread
 *  ├─ Side first  (from-tag of the first offer)
 *  │   └─ Endpoint[i] per m= line ── RTP port (even) + RTCP port (odd): two channels on {@link #loop()}
 *  └─ Side second (to-tag, known from the answer)
 *      └─ Endpoint[i]  ⇄ linked as peer of first.Endpoint[i]
 * </pre>
 * A side may also hold a stream token and the TCP/TLS connections bound with it (see the
 * {@code tcp} package); those channels live on any media loop and hand their packets to the
 * call's loop.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>The <b>control thread</b> (the ng socket's single event loop) owns the structure: it
 *       creates calls and sides, adds endpoints, changes tags, registers and removes calls, and
 *       runs the media-timeout sweep. Nothing else mutates it, so it needs no locks.</li>
 *   <li>The call's <b>media event loop</b> ({@link #loop()}, one per call, chosen round-robin)
 *       runs every channel of every endpoint of the call, so forwarding from one side to the
 *       other stays on one thread with no handoff. It only writes an endpoint's latch state,
 *       counters and keepalive state, the last from its own keepalive timer on that same loop
 *       (see {@link Endpoint} for the per-field rules).</li>
 *   <li>Control changes reach the media loop through volatile endpoint fields (SDP address,
 *       flags), written whole and read once per packet; closing channels is thread-safe in Netty
 *       and ports go back to the pool only after both channels of an endpoint have closed.</li>
 *   <li>Other threads (HTTP metrics) never touch a call; they read the snapshot the control
 *       thread publishes in {@code RelayStatistics}.</li>
 * </ul>
 */
public final class Call {

    private final String callId;
    private final EventLoop loop;
    private final long createdEpochSeconds;
    private final Side first;
    private final Side second;
    private long lastSignalNanos;

    Call(String callId, EventLoop loop, String fromTag, String toTag, long nowNanos, long epochSeconds) {
        this.callId = callId;
        this.loop = loop;
        this.first = new Side(fromTag);
        this.second = new Side(toTag);
        this.lastSignalNanos = nowNanos;
        this.createdEpochSeconds = epochSeconds;
    }

    public String callId() {
        return callId;
    }

    public EventLoop loop() {
        return loop;
    }

    public long createdEpochSeconds() {
        return createdEpochSeconds;
    }

    public Side first() {
        return first;
    }

    public Side second() {
        return second;
    }

    /** The side with this tag, or null. */
    public Side side(String tag) {
        if (tag == null) {
            return null;
        }
        if (tag.equals(first.tag())) {
            return first;
        }
        if (tag.equals(second.tag())) {
            return second;
        }
        return null;
    }

    Side other(Side side) {
        return side == first ? second : first;
    }

    void signalled(long nowNanos) {
        lastSignalNanos = nowNanos;
    }

    /** Newest of the last signalling and the last packet on any endpoint. */
    long lastActivityNanos() {
        long last = lastSignalNanos;
        for (Endpoint e : endpoints()) {
            long t = e.lastPacketNanos();
            if (t != 0 && t - last > 0) {
                last = t;
            }
        }
        return last;
    }

    /**
     * Some side has put a stream on hold (c=0.0.0.0, inactive, sendonly or recvonly): at least one
     * direction is silent on purpose, so the call gets the longer hold timeout.
     */
    boolean onHold() {
        for (Endpoint e : endpoints()) {
            if (e.quiet()) {
                return true;
            }
        }
        return false;
    }

    /** TCP/TLS connections bound to either side now. */
    public int streamConnections() {
        return first.streams().size() + second.streams().size();
    }

    public List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        for (Endpoint e : first.endpoints()) {
            if (e != null) {
                all.add(e);
            }
        }
        for (Endpoint e : second.endpoints()) {
            if (e != null) {
                all.add(e);
            }
        }
        return all;
    }
}
