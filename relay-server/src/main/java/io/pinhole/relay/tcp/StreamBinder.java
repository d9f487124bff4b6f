package io.pinhole.relay.tcp;

import io.netty.channel.EventLoop;
import io.pinhole.relay.call.Call;
import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.Side;
import io.pinhole.relay.call.StreamConnection;
import io.pinhole.relay.call.StreamGrant;
import io.pinhole.relay.media.Endpoint;
import io.pinhole.relay.media.MediaEgress;
import io.pinhole.wire.stream.MediaFrames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a connection that presented a token to its call side, crossing the threads in the order
 * that keeps each owner the only writer: the control thread checks the token and the per-call cap
 * and records the connection on the side; the call's loop points the side's endpoints at the
 * connection; then the connection's loop learns which endpoint each stream id feeds, and last
 * that it is bound. When the connection closes, the same threads undo it: the side forgets it,
 * and its endpoints go back to UDP unless a newer connection took them over.
 */
public final class StreamBinder {

    /** What the connection's loop hears back, in this order: every stream it carries, then bound (or refused). */
    interface Outcome {
        /** Frames of {@code mediaIndex}'s streams go to {@code endpoint}. */
        void carries(int mediaIndex, Endpoint endpoint);

        /** Bound: media is forwarded on {@code callLoop}. */
        void bound(EventLoop callLoop, String callId);

        void refused(String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(StreamBinder.class);

    /** How long a re-offer waits for a new stream to be carried (as long as its sockets may take to bind). */
    private static final long CARRY_TIMEOUT_MILLIS = 5000;

    private final CallRegistry registry;
    private final EventLoop control;
    private final int perCall;

    public StreamBinder(CallRegistry registry, EventLoop control, int perCall) {
        this.registry = registry;
        this.control = control;
        this.perCall = perCall;
    }

    /** From the connection's loop; {@code outcome} is called back on that loop. */
    void bind(String token, StreamLink connection, Outcome outcome) {
        control.execute(() -> {
            if (!connection.isActive()) {
                return; // gone while waiting: nothing to bind, nothing to answer
            }
            StreamGrant grant = registry.findStream(token);
            String refusal = StreamAdmission.refusal(grant != null,
                    grant == null ? 0 : grant.call().streamConnections(), perCall);
            if (refusal != null) {
                connection.eventLoop().execute(() -> outcome.refused(refusal));
                return;
            }
            Call call = grant.call();
            Side side = grant.side();
            Bound bound = new Bound(connection, call.loop(), outcome);
            side.addStream(bound);
            List<Endpoint> endpoints = side.endpoints();
            for (int i = 0; i < endpoints.size(); i++) {
                if (endpoints.get(i) != null) {
                    bound.startCarrying(i, endpoints.get(i)); // the OK below waits for these
                }
            }
            // queued on the call's loop after every attach, and on the connection's loop after every carries
            call.loop().execute(() -> connection.eventLoop().execute(() -> outcome.bound(call.loop(), call.callId())));
            // a connection that is already closed runs this at once: its detach is still queued after the attaches
            connection.whenClosed(() -> control.execute(() -> {
                side.removeStream(bound);
                bound.detachAll();
            }));
        });
    }

    /** One bound connection as the side holds it; its map of egresses is the control thread's. */
    private static final class Bound implements StreamConnection {

        private final StreamLink connection;
        private final EventLoop callLoop;
        private final Outcome outcome;
        private final Map<Endpoint, MediaEgress> egresses = new LinkedHashMap<>();

        Bound(StreamLink connection, EventLoop callLoop, Outcome outcome) {
            this.connection = connection;
            this.callLoop = callLoop;
            this.outcome = outcome;
        }

        /**
         * A re-offer added a stream: carried once this returns. The ng reply that follows tells the
         * far side where to send it, and a Netty loop handles the socket reads it wakes up to before
         * the tasks queued meanwhile: a call's loop woken late (a busy machine) read the stream's
         * first packets before it ran the attach and sent them to the side's SDP address over UDP.
         * So the control thread waits for both loops, as it waits for the stream's sockets to bind:
         * two hand-offs, only for a re-offer that adds a stream to a side on a connection.
         */
        @Override
        public void carry(int mediaIndex, Endpoint endpoint) {
            CountDownLatch carried = startCarrying(mediaIndex, endpoint);
            try {
                if (!carried.await(CARRY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                    log.warn("stream {} not carried over the media connection within {} ms: its loops are stuck",
                            mediaIndex, CARRY_TIMEOUT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Points the endpoint at the connection on the call's loop, then tells the connection's loop. */
        CountDownLatch startCarrying(int mediaIndex, Endpoint endpoint) {
            CountDownLatch carried = new CountDownLatch(1);
            if (mediaIndex > MediaFrames.MAX_MEDIA_INDEX || egresses.containsKey(endpoint)) {
                carried.countDown();
                return carried; // no stream id for it; or carried already
            }
            MediaEgress egress = connection.egress(mediaIndex);
            egresses.put(endpoint, egress);
            callLoop.execute(() -> {
                endpoint.attachStream(egress);
                connection.eventLoop().execute(() -> {
                    outcome.carries(mediaIndex, endpoint);
                    carried.countDown();
                });
            });
            return carried;
        }

        @Override
        public void close() {
            connection.close();
        }

        /** Control thread, once the connection has closed. */
        void detachAll() {
            List<Map.Entry<Endpoint, MediaEgress>> all = new ArrayList<>(egresses.entrySet());
            egresses.clear();
            callLoop.execute(() -> {
                for (Map.Entry<Endpoint, MediaEgress> e : all) {
                    e.getKey().detachStream(e.getValue());
                }
            });
        }
    }
}
