package io.pinhole.proxy.call;

import java.time.Instant;

/** One row of {@code calls}: what a CDR says about a finished call. */
record CallRecord(String callId, String caller, String callee, Instant startedAt, Instant answeredAt, Instant endedAt,
                  String outcome, int sipStatus, String mediaPath, boolean callerBehindNat, Boolean calleeBehindNat,
                  Long relayId, Long packets, Long bytes) {
}
