package io.pinhole.proxy.call;

import io.pinhole.proxy.punch.PunchOutcome;
import io.pinhole.proxy.relay.MediaSession;
import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Request;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Ends a call exactly once: unlinks its dialogs, frees the relay ports (the packet counts for the
 * CDR come from the delete reply, or from a query first where the relay's delete has none), and
 * queues the CDR. Every path that ends a call comes here, so no path can leak relay ports.
 */
public final class CallTerminator {

    /** The CDR outcome of a call the admin API hung up (allowed by migration V9). */
    public static final String ADMIN_HANGUP = "admin-hangup";

    /** What {@link #hangUp} did. */
    public enum HangUp {
        /** BYE sent to both legs, call ended. */
        ENDED,
        /** The call is still being set up: only answered calls are hung up this way. */
        NOT_ANSWERED,
        /** No live call with that Call-ID (never was, or already over). */
        NOT_FOUND
    }

    private static final Logger LOG = LoggerFactory.getLogger(CallTerminator.class);

    private final CallRegistry registry;
    private final RelayPool relays;
    private final CdrWriter cdrs;
    private final Clock clock;
    private final CallMessages messages;

    CallTerminator(CallRegistry registry, RelayPool relays, CdrWriter cdrs, Clock clock, CallMessages messages) {
        this.registry = registry;
        this.relays = relays;
        this.cdrs = cdrs;
        this.clock = clock;
        this.messages = messages;
    }

    /**
     * Hangs up the answered call(s) whose caller leg has this Call-ID, as the admin API asks:
     * the call is ended first (so a BYE from a phone crossing ours finds nothing left to end),
     * then each leg gets a BYE, and the CDR says {@value #ADMIN_HANGUP}.
     */
    public HangUp hangUp(String callerCallId) {
        HangUp result = HangUp.NOT_FOUND;
        for (Call call : registry.withCallId(callerCallId)) {
            Leg caller;
            Leg callee;
            synchronized (call) {
                if (call.state != Call.State.ANSWERED) {
                    if (call.state != Call.State.ENDED && result == HangUp.NOT_FOUND) {
                        result = HangUp.NOT_ANSWERED;
                    }
                    continue;
                }
                caller = call.leg(Side.CALLER);
                callee = call.leg(Side.CALLEE);
            }
            if (!end(call, ADMIN_HANGUP, 200)) {
                continue; // a phone's BYE ended it meanwhile
            }
            result = HangUp.ENDED;
            bye(call, Side.CALLER, caller);
            bye(call, Side.CALLEE, callee);
        }
        return result;
    }

    private void bye(Call call, Side side, Leg leg) {
        try {
            messages.sendInDialog(leg.dialog(), leg.flow(), leg.dialog().createRequest(Request.BYE));
        } catch (Exception e) {
            LOG.info("call {}: admin BYE towards the {} failed: {}", call.callerCallId, side, e.toString());
        }
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
        // DEBUG, not INFO: the CDR (calls table, admin API) holds the same facts, and formatting and writing
        // this line on the SIP thread was ~4 % of the proxy's CPU samples at 300 calls/s (bench/calls/README.md)
        if (LOG.isDebugEnabled()) {
            LOG.debug("call {} {} -> {} ended: {} {} ({}, caller {}, callee {})", call.callerCallId, call.caller,
                    call.callee, outcome, status, call.mediaPath, call.callerNat,
                    calleeNat == null ? "-" : calleeNat ? "behind NAT" : "public");
        }
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
        Instant directFrom;
        Instant directUntil;
        String punched;
        int failovers;
        String relayFailure;
        synchronized (call) {
            directFrom = call.directFrom;
            directUntil = call.directUntil;
            punched = call.punchOutcome;
            failovers = call.relayFailovers;
            relayFailure = call.relayFailure;
        }
        return new CallRecord(call.callerCallId, call.caller, call.callee, call.startedAt, answeredAt, endedAt, outcome,
                status, call.mediaPath.name(), call.callerNat.behindNat(), calleeNat,
                call.media == null ? null : call.media.relay().id(), packets, bytes,
                PunchOutcome.paths(call.paths(), directFrom, punched),
                PunchOutcome.directShare(answeredAt, endedAt, call.media != null, directFrom, directUntil), null,
                failovers, relayFailure);
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
