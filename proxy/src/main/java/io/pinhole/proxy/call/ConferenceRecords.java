package io.pinhole.proxy.call;

import java.time.Instant;

/**
 * The CDR of a conference party, written by the same writer as every call's (the conference
 * package answers parties itself and has no {@link Call}): one {@code calls} row per party, its
 * {@code conference} column naming the room, the room as callee and the relay as media path.
 */
public final class ConferenceRecords {

    private final CdrWriter cdrs;

    ConferenceRecords(CdrWriter cdrs) {
        this.cdrs = cdrs;
    }

    /**
     * @param answeredAt null when the party was never answered (refused with a 4xx/5xx)
     * @param relayId    the relay's {@code relays} row, null for the configured default relay or none
     */
    public void write(String callId, String caller, String room, Instant startedAt, Instant answeredAt,
                      Instant endedAt, String outcome, int sipStatus, boolean callerBehindNat, Long relayId,
                      Long packets, Long bytes) {
        cdrs.write(new CallRecord(callId, caller, room, startedAt, answeredAt, endedAt, outcome, sipStatus,
                answeredAt == null ? null : "RELAY_UDP", callerBehindNat, null, relayId, packets, bytes, null,
                null, room));
    }

    /**
     * Packets and bytes (both directions) from a {@code leave} reply's {@code totals}: a party's
     * flat {@code packets-in}/{@code packets-out}/{@code bytes-in}/{@code bytes-out}, or a call's
     * per-protocol form as {@code delete} answers it; null when absent.
     */
    public static long[] counts(java.util.Map<String, Object> reply) {
        if (reply != null && reply.get("totals") instanceof java.util.Map<?, ?> totals
                && totals.containsKey("packets-in")) {
            return new long[]{number(totals.get("packets-in")) + number(totals.get("packets-out")),
                    number(totals.get("bytes-in")) + number(totals.get("bytes-out"))};
        }
        return CallTerminator.counts(reply);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
