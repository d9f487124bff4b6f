package io.pinhole.relay.tcp;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open HTTP media sessions by call token: the first request with a token opens its session
 * and starts binding it to the token's call side; later requests (on any connection) find it.
 * A token that names no call opens a session that is refused and removed at once.
 */
public final class HttpSessions {

    private final ConcurrentHashMap<String, HttpSession> byToken = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final StreamBinder binder;
    private final int maxQueue;
    private final int maxConnections;
    private final long holdNanos;
    private final long idleNanos;

    /**
     * @param maxQueue       frames waiting for one client ({@code http-queue})
     * @param maxConnections connections serving one session at once ({@code tcp-connections-per-call})
     * @param holdNanos      how long a poll is held ({@code http-hold})
     * @param idleNanos      a session without a request for this long closes ({@code tcp-idle-timeout})
     */
    public HttpSessions(StreamBinder binder, int maxQueue, int maxConnections, long holdNanos, long idleNanos) {
        this.binder = binder;
        this.maxQueue = maxQueue;
        this.maxConnections = maxConnections;
        this.holdNanos = holdNanos;
        this.idleNanos = idleNanos;
    }

    /** The session of {@code token}, opened (and its binding started) on {@code loop} if there is none. */
    HttpSession session(String token, EventLoop loop) {
        HttpSession[] created = new HttpSession[1];
        HttpSession s = byToken.computeIfAbsent(token, t -> created[0] = new HttpSession(t, loop, this, maxQueue,
                maxConnections, holdNanos, idleNanos));
        if (created[0] != null) {
            binder.bind(token, s, s);
        }
        return s;
    }

    void remove(String token, HttpSession session) {
        byToken.remove(token, session);
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    /** Packets dropped because a client's queue was full, since start. */
    public long droppedPackets() {
        return dropped.get();
    }
}
