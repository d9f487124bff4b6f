package io.pinhole.proxy.conference;

import io.pinhole.proxy.call.ConferenceRecords;
import io.pinhole.proxy.relay.Relay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * Ends a party, exactly once whoever asks ({@link Party#end()}): the relay's {@code leave} (its
 * totals go into the CDR), the CDR with the room, the metrics, and the room's relay released
 * with its last party. The BYE variant must not run on a SIP stack thread (TCP may wait).
 */
final class PartyEnd {

    private static final Logger LOG = LoggerFactory.getLogger(PartyEnd.class);

    private final Parties parties;
    private final ConferenceRecords cdrs;
    private final ConferenceMetrics metrics;
    private final PartyMessages messages;
    private final Clock clock;
    private final Executor executor;

    PartyEnd(Parties parties, ConferenceRecords cdrs, ConferenceMetrics metrics, PartyMessages messages, Clock clock,
             Executor executor) {
        this.parties = parties;
        this.cdrs = cdrs;
        this.metrics = metrics;
        this.messages = messages;
        this.clock = clock;
        this.executor = executor;
    }

    /** The phone hung up (its BYE answered already), or its dialog died. @return false if it had ended */
    boolean left(Party party, String outcome, int status) {
        Party.State was = party.end();
        if (was == null) {
            return false;
        }
        finish(party, was, outcome, status);
        return true;
    }

    /** We hang up an answered party: BYE with the Reason, then as {@link #left}. @return false if it had ended */
    boolean hangUp(Party party, int cause, String text, String outcome) {
        Party.State was;
        synchronized (party) {
            if (party.state == Party.State.JOINING) {
                return false; // not answered yet: a CANCEL or the join's reply ends it
            }
            was = party.end();
        }
        if (was == null) {
            return false;
        }
        try {
            messages.bye(party, cause, text);
        } catch (Exception e) {
            LOG.info("conference {}: BYE to {} (Call-ID {}) failed: {}", party.room, party.caller, party.callId,
                    e.toString());
        }
        LOG.info("conference {}: hung up {} (Call-ID {}): {}", party.room, party.caller, party.callId, text);
        finish(party, was, outcome, 200);
        return true;
    }

    /**
     * A party answered with a final error (already sent by the caller of this).
     *
     * @param onRelay whether the relay may hold the party (its join was sent): then it is told to leave
     */
    void refused(Party party, String outcome, int status, boolean onRelay) {
        if (party.end() == null) {
            return;
        }
        if (onRelay && party.relay != null) {
            party.relay.client().send(RoomCommands.leave(party)).whenComplete((reply, error) -> {
            });
        }
        parties.remove(party);
        cdrs.write(party.callId, party.caller, party.room, party.startedAt, null, clock.instant(), outcome, status,
                party.behindNat, party.relay == null ? null : party.relay.id(), null, null);
    }

    private void finish(Party party, Party.State was, String outcome, int status) {
        Instant ended = clock.instant();
        if (was != Party.State.JOINING) {
            metrics.leave();
        }
        Relay relay = party.relay;
        if (relay == null) {
            parties.remove(party);
            write(party, ended, outcome, status, null);
            return;
        }
        relay.client().send(RoomCommands.leave(party)).whenCompleteAsync((reply, error) -> {
            if (error != null) {
                LOG.debug("conference {}: relay {} on leave of {}: {}", party.room, relay.name(), party.callId,
                        error.getMessage());
            }
            parties.remove(party);
            write(party, ended, outcome, status, error == null ? ConferenceRecords.counts(reply) : null);
        }, executor);
    }

    private void write(Party party, Instant ended, String outcome, int status, long[] counts) {
        Instant answered;
        synchronized (party) {
            answered = party.answeredAt;
        }
        cdrs.write(party.callId, party.caller, party.room, party.startedAt, answered, ended, outcome, status,
                party.behindNat, party.relay == null ? null : party.relay.id(), counts == null ? null : counts[0],
                counts == null ? null : counts[1]);
    }

    /** Whether an ng error says the relay does not know the party (it left or timed out there). */
    static boolean unknownParty(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(java.util.Locale.ROOT);
        return cause instanceof io.pinhole.wire.ng.NgException ng && !ng.timeout() && message.startsWith("unknown");
    }
}
