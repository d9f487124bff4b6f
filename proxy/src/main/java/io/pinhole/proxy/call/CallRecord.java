package io.pinhole.proxy.call;

import io.pinhole.proxy.media.PathPlan;

import java.time.Instant;

/**
 * One row of {@code calls}: what a CDR says about a finished call.
 *
 * @param paths each leg's planned and taken media path with the reason (the answering fork's;
 *              without one, the callee's columns stay empty unless there was a single callee leg)
 * @param directShare share of the answered call's duration its media went direct (0 to 1), null
 *                    when it was not answered
 * @param conference  the room (name@domain) when this is a conference party's record, else null
 * @param relayFailovers how often the call moved to another relay because its relay died
 * @param relayFailure   why the call could not stay on a relay, naming the dead relay; null when it could
 */
record CallRecord(String callId, String caller, String callee, Instant startedAt, Instant answeredAt, Instant endedAt,
                  String outcome, int sipStatus, String mediaPath, boolean callerBehindNat, Boolean calleeBehindNat,
                  Long relayId, Long packets, Long bytes, PathPlan paths, Double directShare,
                  String conference, int relayFailovers, String relayFailure) {

    /** A call that never lost its relay. */
    CallRecord(String callId, String caller, String callee, Instant startedAt, Instant answeredAt, Instant endedAt,
               String outcome, int sipStatus, String mediaPath, boolean callerBehindNat, Boolean calleeBehindNat,
               Long relayId, Long packets, Long bytes, PathPlan paths, Double directShare, String conference) {
        this(callId, caller, callee, startedAt, answeredAt, endedAt, outcome, sipStatus, mediaPath, callerBehindNat,
                calleeBehindNat, relayId, packets, bytes, paths, directShare, conference, 0, null);
    }
}
