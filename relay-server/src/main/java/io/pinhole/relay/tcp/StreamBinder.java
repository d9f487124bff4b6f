package io.pinhole.relay.tcp;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.pinhole.relay.call.Call;
import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.Side;
import io.pinhole.relay.call.StreamGrant;
import io.pinhole.relay.media.Endpoint;
import java.util.List;

/**
 * Binds a connection that presented a token to its call side, crossing the threads in the order
 * that keeps each owner the only writer: the control thread checks the token and the per-call cap
 * and records the connection on the side; the call's loop points the side's endpoints at the
 * connection; then the connection's loop learns it is bound. When the connection closes, the
 * same threads undo it: the side forgets it, and its endpoints go back to UDP unless a newer
 * connection took them over.
 */
public final class StreamBinder {

    /** What the connection's loop hears back. */
    interface Outcome {
        /** Bound: {@code endpoints} by media index (null where the call has no stream), forwarded on {@code callLoop}. */
        void bound(EventLoop callLoop, Endpoint[] endpoints, String callId);

        void refused(String reason);
    }

    private final CallRegistry registry;
    private final EventLoop control;
    private final int perCall;

    public StreamBinder(CallRegistry registry, EventLoop control, int perCall) {
        this.registry = registry;
        this.control = control;
        this.perCall = perCall;
    }

    /** From the connection's loop; {@code outcome} is called back on that loop. */
    void bind(String token, Channel connection, String transport, Outcome outcome) {
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
            attach(grant.call(), grant.side(), connection, transport, outcome);
        });
    }

    /** Control thread. */
    private void attach(Call call, Side side, Channel connection, String transport, Outcome outcome) {
        side.addStream(connection);
        List<Endpoint> list = side.endpoints();
        Endpoint[] endpoints = list.toArray(new Endpoint[0]);
        StreamEgress[] egress = new StreamEgress[endpoints.length];
        for (int i = 0; i < endpoints.length && i <= StreamFrames.MAX_MEDIA_INDEX; i++) {
            if (endpoints[i] != null) {
                egress[i] = new StreamEgress(connection, i, transport);
            }
        }
        EventLoop callLoop = call.loop();
        callLoop.execute(() -> {
            for (int i = 0; i < endpoints.length; i++) {
                if (egress[i] != null) {
                    endpoints[i].attachStream(egress[i]);
                }
            }
            connection.eventLoop().execute(() -> outcome.bound(callLoop, endpoints, call.callId()));
        });
        // queued after the attach above on the call's loop, so a connection that is already closed
        // is detached after it was attached, never before
        connection.closeFuture().addListener(f -> {
            control.execute(() -> side.removeStream(connection));
            callLoop.execute(() -> {
                for (int i = 0; i < endpoints.length; i++) {
                    if (egress[i] != null) {
                        endpoints[i].detachStream(egress[i]);
                    }
                }
            });
        });
    }
}
