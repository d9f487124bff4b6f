package io.pinhole.proxy.conference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows answered parties of PIN rooms while they key their PIN: every lobby poll interval one
 * ng {@code query} per party in the lobby (none while the last is unanswered). {@code joined}
 * lets it into the room; {@code refused} (the third wrong PIN) hangs it up with
 * {@code Reason: SIP;cause=403;text="wrong conference PIN"}; so does a lobby longer than the
 * lobby timeout. The relay tells nobody by itself, hence the poll (as the media timeout watch).
 */
final class LobbyWatch {

    private static final Logger LOG = LoggerFactory.getLogger(LobbyWatch.class);

    /** What a poll's reply means for a party in the lobby: a pure decision. */
    enum Verdict {
        WAIT, JOINED, REFUSED, TOO_LONG, GONE
    }

    private final Duration timeout;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Map<Party, Instant> waiting = new ConcurrentHashMap<>();
    private final Set<Party> asking = ConcurrentHashMap.newKeySet();
    private final PartyEnd end;
    private final ConferenceMetrics metrics;

    LobbyWatch(ConferenceProperties properties, Clock clock, ScheduledExecutorService executor, PartyEnd end,
               ConferenceMetrics metrics) {
        this.end = end;
        this.metrics = metrics;
        this.timeout = properties.lobbyTimeout();
        this.clock = clock;
        this.executor = executor;
        long every = properties.lobbyPoll().toMillis();
        executor.scheduleWithFixedDelay(this::pollSafely, every, every, TimeUnit.MILLISECONDS);
    }

    void watch(Party party) {
        waiting.put(party, clock.instant());
    }

    int waiting() {
        return waiting.size();
    }

    static Verdict judge(String state, boolean unknown, Instant since, Instant now, Duration timeout) {
        if (unknown) {
            return Verdict.GONE;
        }
        if ("joined".equals(state)) {
            return Verdict.JOINED;
        }
        if ("refused".equals(state)) {
            return Verdict.REFUSED;
        }
        return Duration.between(since, now).compareTo(timeout) > 0 ? Verdict.TOO_LONG : Verdict.WAIT;
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.error("conference lobby poll failed", e);
        }
    }

    private void poll() {
        Instant now = clock.instant();
        waiting.forEach((party, since) -> {
            if (party.state() != Party.State.LOBBY) {
                waiting.remove(party);
                return;
            }
            if (judge(null, false, since, now, timeout) == Verdict.TOO_LONG) {
                act(party, Verdict.TOO_LONG);
                return;
            }
            if (!asking.add(party)) {
                return; // the last query is still out
            }
            party.relay.client().send(RoomCommands.query(party)).whenCompleteAsync((reply, error) -> {
                asking.remove(party);
                if (error != null && !PartyEnd.unknownParty(error)) {
                    return; // a relay that does not answer now may answer the next poll
                }
                act(party, judge(error == null ? RoomCommands.state(reply) : null, error != null, since,
                        clock.instant(), timeout));
            }, executor);
        });
    }

    private void act(Party party, Verdict verdict) {
        switch (verdict) {
            case WAIT -> {
            }
            case JOINED -> {
                waiting.remove(party);
                synchronized (party) {
                    if (party.state != Party.State.LOBBY) {
                        return;
                    }
                    party.state = Party.State.JOINED;
                    party.joinedAt = clock.instant();
                }
                metrics.join("joined");
                LOG.debug("conference {}: {} (Call-ID {}) keyed the PIN", party.room, party.caller, party.callId);
            }
            case REFUSED -> {
                waiting.remove(party);
                if (end.hangUp(party, 403, "wrong conference PIN", "conference-pin-refused")) {
                    metrics.join("pin-refused");
                }
            }
            case TOO_LONG -> {
                waiting.remove(party);
                if (end.hangUp(party, 408, "conference PIN not entered in time", "conference-pin-refused")) {
                    metrics.join("pin-refused");
                }
            }
            case GONE -> {
                waiting.remove(party);
                end.hangUp(party, 408, "media relay dropped the party", "failed");
            }
        }
    }
}
