package io.pinhole.relay.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.media.MediaEgress;
import io.pinhole.wire.stream.MediaFrames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call side reached over HTTP: opened by the first request with its token, bound to the side
 * like a TCP connection ({@link StreamBinder}), and served over any HTTP connections (a forward
 * proxy may use a new one per request), at most {@code maxConnections} at once.
 *
 * <p>Downstream media waits in a queue of at most {@code maxQueue} frames (the oldest dropped and
 * counted past that) until a request takes it: a request with media is answered at once with what
 * is queued, possibly nothing; a poll (a GET without media) is held until media is queued, at
 * most {@code holdNanos}, then answered empty. One poll is held at a time: a newer one answers the
 * older first.
 *
 * <p>Threads: the egresses write from the call's loop, requests come from the connections' loops,
 * timers run on those; every field below the lock comment is guarded by this object's monitor,
 * held for queue operations only (no I/O waits under it; a Netty write from another thread is
 * handed to the channel's loop).
 */
final class HttpSession implements StreamLink, StreamBinder.Outcome {

    private static final Logger log = LoggerFactory.getLogger(HttpSession.class);

    /** A request waiting for the binding to finish. */
    private record Pending(Channel channel, ByteBuf media, boolean poll, boolean keepAlive) {
    }

    private record Held(Channel channel, boolean keepAlive, ScheduledFuture<?> timer) {
    }

    private final String token;
    private final EventLoop loop;
    private final HttpSessions owner;
    private final int maxQueue;
    private final int maxConnections;
    private final long holdNanos;
    private final long idleNanos;
    private volatile Endpoint[] endpoints = new Endpoint[0];
    private volatile EventLoop callLoop;

    // guarded by this
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private final List<Pending> pending = new ArrayList<>();
    private final List<Runnable> closeActions = new ArrayList<>();
    private Held held;
    private boolean bound;
    private boolean closed;
    private int connections;
    private long dropped;
    private long lastRequestNanos = System.nanoTime();
    private String callId;

    HttpSession(String token, EventLoop loop, HttpSessions owner, int maxQueue, int maxConnections, long holdNanos,
                long idleNanos) {
        this.token = token;
        this.loop = loop;
        this.owner = owner;
        this.maxQueue = maxQueue;
        this.maxConnections = maxConnections;
        this.holdNanos = holdNanos;
        this.idleNanos = idleNanos;
        loop.schedule(this::idleCheck, idleNanos / 2, TimeUnit.NANOSECONDS);
    }

    /** A connection starts serving this session; false over the cap. */
    synchronized boolean attach() {
        if (connections >= maxConnections) {
            return false;
        }
        connections++;
        return true;
    }

    synchronized void detach() {
        connections--;
    }

    /**
     * One whole request of a connection that stops reading until it is answered.
     *
     * @param media validated frames (released here), or null
     */
    void request(Channel ch, ByteBuf media, boolean poll, boolean keepAlive) {
        ByteBuf answer;
        Held older = null;
        synchronized (this) {
            if (closed) {
                release(media);
                HttpAnswers.refuse(ch, 410, "session closed");
                return;
            }
            if (!bound) {
                pending.add(new Pending(ch, media, poll, keepAlive));
                return;
            }
            lastRequestNanos = System.nanoTime();
            if (poll && queue.isEmpty()) {
                older = held;
                ScheduledFuture<?> timer = ch.eventLoop().schedule(() -> expire(ch), holdNanos, TimeUnit.NANOSECONDS);
                held = new Held(ch, keepAlive, timer);
                answer = null;
            } else {
                answer = drain(ch);
            }
        }
        if (older != null) {
            older.timer().cancel(false);
            HttpAnswers.media(older.channel(), Unpooled.EMPTY_BUFFER, older.keepAlive());
        }
        if (media != null) {
            forward(media);
        }
        if (answer != null) {
            HttpAnswers.media(ch, answer, keepAlive);
        }
    }

    /** Sends the frames of a request to their streams' endpoints on the call's loop, as one task. */
    private void forward(ByteBuf media) {
        Endpoint[] es = endpoints;
        ForwardBatch batch = new ForwardBatch();
        while (media.isReadable()) {
            int length = media.readUnsignedShort();
            int stream = media.readUnsignedByte();
            ByteBuf packet = media.readRetainedSlice(length - 1);
            int index = MediaFrames.mediaIndex(stream);
            Endpoint e = stream != MediaFrames.CONTROL && index < es.length ? es[index] : null;
            if (e == null || !packet.isReadable()) {
                packet.release(); // a heartbeat, or a stream the call does not have
            } else {
                batch.add(e, MediaFrames.isRtcp(stream), packet);
            }
        }
        media.release();
        EventLoop l = callLoop;
        if (l.inEventLoop()) {
            batch.run();
        } else {
            l.execute(batch);
        }
    }

    /** From an egress on the call's loop: queues one frame, dropping the oldest past the bound. */
    boolean enqueue(ByteBuf frame) {
        synchronized (this) {
            if (!closed) {
                if (queue.size() == maxQueue) {
                    queue.poll().release();
                    dropped++;
                    owner.dropped();
                }
                queue.add(frame);
                return true;
            }
        }
        frame.release();
        return false;
    }

    /** From an egress's flush: the held poll, if any, gets what is queued. */
    void deliver() {
        Held h;
        ByteBuf answer;
        synchronized (this) {
            if (held == null || queue.isEmpty()) {
                return;
            }
            h = held;
            held = null;
            answer = drain(h.channel());
        }
        h.timer().cancel(false);
        HttpAnswers.media(h.channel(), answer, h.keepAlive());
    }

    /** The hold ran out with nothing queued: the poll is answered empty, so every request gets its response. */
    private void expire(Channel ch) {
        Held h;
        synchronized (this) {
            if (held == null || held.channel() != ch) {
                return;
            }
            h = held;
            held = null;
        }
        HttpAnswers.media(ch, Unpooled.EMPTY_BUFFER, h.keepAlive());
    }

    /** Everything queued, as one body; under the lock. */
    private ByteBuf drain(Channel ch) {
        if (queue.isEmpty()) {
            return Unpooled.EMPTY_BUFFER;
        }
        CompositeByteBuf body = ch.alloc().compositeBuffer(queue.size());
        for (ByteBuf f = queue.poll(); f != null; f = queue.poll()) {
            body.addComponent(true, f);
        }
        return body;
    }

    private void idleCheck() {
        boolean idle;
        synchronized (this) {
            if (closed) {
                return;
            }
            idle = held == null && System.nanoTime() - lastRequestNanos > idleNanos;
        }
        if (idle) {
            close("no request for " + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms (idle timeout)");
        } else {
            loop.schedule(this::idleCheck, idleNanos / 2, TimeUnit.NANOSECONDS);
        }
    }

    // StreamBinder.Outcome, on this session's loop

    @Override
    public void carries(int mediaIndex, Endpoint endpoint) {
        Endpoint[] es = endpoints;
        if (mediaIndex >= es.length) {
            es = Arrays.copyOf(es, mediaIndex + 1);
        } else {
            es = es.clone();
        }
        es[mediaIndex] = endpoint;
        endpoints = es;
    }

    @Override
    public void bound(EventLoop loopOfCall, String id) {
        List<Pending> waiting;
        synchronized (this) {
            callLoop = loopOfCall;
            callId = id;
            bound = true;
            waiting = new ArrayList<>(pending);
            pending.clear();
        }
        log.debug("http media session bound to call {}", id);
        for (Pending p : waiting) {
            request(p.channel(), p.media(), p.poll(), p.keepAlive());
        }
    }

    @Override
    public void refused(String reason) {
        List<Pending> waiting;
        synchronized (this) {
            waiting = new ArrayList<>(pending);
            pending.clear();
        }
        for (Pending p : waiting) {
            release(p.media());
            log.info("http media request from {} refused: {}", p.channel().remoteAddress(), reason);
            HttpAnswers.refuse(p.channel(), 403, reason);
        }
        close(null);
    }

    // StreamLink

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public synchronized boolean isActive() {
        return !closed;
    }

    @Override
    public void whenClosed(Runnable action) {
        synchronized (this) {
            if (!closed) {
                closeActions.add(action);
                return;
            }
        }
        action.run();
    }

    @Override
    public MediaEgress egress(int mediaIndex) {
        return new HttpEgress(this, mediaIndex);
    }

    /** The call is gone: the session ends, and its token opens no new one. */
    @Override
    public void close() {
        close("call ended");
    }

    private void close(String reason) {
        Held h;
        List<Runnable> actions;
        long lost;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            h = held;
            held = null;
            for (ByteBuf f = queue.poll(); f != null; f = queue.poll()) {
                f.release();
            }
            actions = new ArrayList<>(closeActions);
            closeActions.clear();
            lost = dropped;
        }
        owner.remove(token, this);
        if (h != null) {
            h.timer().cancel(false);
            HttpAnswers.refuse(h.channel(), 410, "session closed: " + reason);
        }
        if (reason != null) {
            log.info("http media session of call {} closed: {} ({} packets dropped for a full queue)", callId,
                    reason, lost);
        }
        actions.forEach(Runnable::run);
    }

    private static void release(ByteBuf b) {
        if (b != null) {
            b.release();
        }
    }
}
