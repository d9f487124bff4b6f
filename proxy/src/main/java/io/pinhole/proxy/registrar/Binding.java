package io.pinhole.proxy.registrar;

import io.pinhole.proxy.sip.Flow;
import java.time.Instant;

/**
 * One registered contact of an address of record, and the flow it registered over.
 *
 * @param owner null when the flow is at this proxy; else the SIP address of the proxy of the
 *              cluster that holds it (io.pinhole.proxy.cluster), the only one that can reach it
 */
public record Binding(
        long userId,
        String aor,
        String key,
        String contactUri,
        String callId,
        long cseq,
        Float q,
        int expiresSeconds,
        Instant expiresAt,
        Flow flow,
        String instanceId,
        Integer regId,
        String userAgent,
        String owner) {

    /** A binding registered through this proxy. */
    public Binding(long userId, String aor, String key, String contactUri, String callId, long cseq, Float q,
                   int expiresSeconds, Instant expiresAt, Flow flow, String instanceId, Integer regId, String userAgent) {
        this(userId, aor, key, contactUri, callId, cseq, q, expiresSeconds, expiresAt, flow, instanceId, regId, userAgent,
                null);
    }

    /** When it was registered or last refreshed: its expiry less the interval granted. */
    public Instant registeredAt() {
        return expiresAt.minusSeconds(expiresSeconds);
    }

    /** What tells this binding's registered flow from another ({@link FlowKey}). */
    public FlowKey flowKey() {
        return new FlowKey(aor, key, flow);
    }

    /** The same binding reached over another flow (the current connection of the edge agent it registered through). */
    public Binding withFlow(Flow other) {
        return new Binding(userId, aor, key, contactUri, callId, cseq, q, expiresSeconds, expiresAt, other, instanceId, regId,
                userAgent, owner);
    }

    public boolean liveAt(Instant now) {
        return expiresAt.isAfter(now);
    }

    /** Seconds left, at least 0, as the 200 OK reports it. */
    public long remainingSeconds(Instant now) {
        return Math.max(0, (expiresAt.toEpochMilli() - now.toEpochMilli() + 999) / 1000);
    }
}
