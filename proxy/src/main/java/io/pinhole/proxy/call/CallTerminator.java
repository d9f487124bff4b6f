package io.pinhole.proxy.call;

import io.pinhole.proxy.relay.MediaSession;
import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Ends a call exactly once: unlinks its dialogs, frees the relay ports (the packet counts for the
 * CDR come from the delete reply, or from a query first where the relay's delete has none), and
 * queues the CDR. Every path that ends a call comes here, so no path can leak relay ports.
 */
final class CallTerminator {

    private static final Logger LOG = LoggerFactory.getLogger(CallTerminator.class);

    private final CallRegistry registry;
    private final RelayPool relays;
    private final CdrWriter cdrs;
    private final Clock clock;

    CallTerminator(CallRegistry registry, RelayPool relays, CdrWriter cdrs, Clock clock) {
        this.registry = registry;
        this.relays = relays;
        this.cdrs = cdrs;
        this.clock = clock;
    }

    /** @return false when the call had already ended */
    boolean end(Call call, String outcome, int status) {
        MediaSession media;
        Instant answeredAt;
        Boolean calleeNat;
        synchronized (call) {
            if (call.state == Call.State.ENDED) {
                return false;
            }
            call.state = Call.State.ENDED;
            media = call.media;
            answeredAt = call.answeredAt;
            calleeNat = call.winner == null ? null : call.winner.nat.behindNat();
        }
        registry.remove(call);
        Instant endedAt = clock.instant();
        LOG.info("call {} {} -> {} ended: {} {} ({}, caller {}, callee {})", call.callerCallId, call.caller, call.callee,
                outcome, status, call.mediaPath, call.callerNat, calleeNat == null ? "-" : calleeNat ? "behind NAT" : "public");
        if (media == null) {
            cdrs.write(record(call, answeredAt, endedAt, outcome, status, calleeNat, null, null));
            return true;
        }
        Relay relay = media.relay();
        CompletableFuture<Map<String, Object>> query = relay.deleteReportsCounts()
                ? CompletableFuture.completedFuture(null)
                : media.query().handle((reply, error) -> reply);
        query.thenCompose(queried -> media.delete().handle((deleted, error) -> {
            long[] fromDelete = deleted == null ? null : counts(deleted);
            if (fromDelete != null) {
                relay.deleteReportedCounts(); // one ng round trip per ended call from now on, not two
            }
            long[] counts = fromDelete != null ? fromDelete : counts(queried);
            cdrs.write(record(call, answeredAt, endedAt, outcome, status, calleeNat,
                    counts == null ? null : counts[0], counts == null ? null : counts[1]));
            relays.release(relay);
            if (error != null && RelayCallCheck.unknownCall(error)) {
                // Expected after a media timeout: the relay had already deleted it.
                LOG.debug("relay {} no longer knew call {}", relay.name(), call.callerCallId);
            } else if (error != null) {
                LOG.warn("relay {} did not delete call {}: {}", relay.name(), call.callerCallId, error.getMessage());
            }
            return deleted;
        }));
        return true;
    }

    private CallRecord record(Call call, Instant answeredAt, Instant endedAt, String outcome, int status,
                              Boolean calleeNat, Long packets, Long bytes) {
        return new CallRecord(call.callerCallId, call.caller, call.callee, call.startedAt, answeredAt, endedAt, outcome,
                status, call.mediaPath.name(), call.callerNat.behindNat(), calleeNat,
                call.media == null ? null : call.media.relay().id(), packets, bytes, call.paths());
    }

    /** Packets and bytes from a delete or query reply (rtpengine's {@code totals}), or null when absent. */
    @SuppressWarnings("unchecked")
    static long[] counts(Map<String, Object> query) {
        if (query == null || !(query.get("totals") instanceof Map<?, ?> totals)) {
            return null;
        }
        long packets = 0;
        long bytes = 0;
        for (String kind : new String[]{"RTP", "RTCP"}) {
            if (totals.get(kind) instanceof Map<?, ?> t) {
                packets += number(t.get("packets"));
                bytes += number(t.get("bytes"));
            }
        }
        return new long[]{packets, bytes};
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
