package io.pinhole.proxy.relay;

import java.time.Duration;

/**
 * What becomes of the calls of a relay that missed its pings (pure; {@link RelayWatch} acts on it,
 * issue 19). Missed pings alone say "silent", not "gone": a relay starved of CPU under overload, or
 * stopped for a moment, misses them too and then goes on with every call it had. So:
 * <ul>
 *   <li>with another relay up, the calls move there at once (the move costs a re-INVITE, a
 *       silent relay costs the call its media);</li>
 *   <li>with none, ending the calls helps nobody unless the relay is really gone: they are kept,
 *       and ended only on stronger evidence: its ng port answered with ICMP port unreachable
 *       (the process is gone, its host is up), or it stayed silent for {@code endAfterSilence}.</li>
 * </ul>
 * A relay that answers again keeps its calls; one kept that another relay comes up beside has
 * them moved.
 */
public final class DeadRelayDecision {

    /** What is known beyond the missed pings. */
    public enum Evidence {
        /** Silence only: as a stopped or starved relay looks. */
        SILENCE,
        /** ICMP port unreachable since the relay's last answer: nothing listens on its ng port. */
        PORT_UNREACHABLE
    }

    public enum Action {
        /** Leave the calls where they are (the relay answers, or may still). */
        KEEP,
        /** Move the calls to another relay ({@link io.pinhole.proxy.relay.RelayWatch}'s {@code onDead}). */
        MOVE,
        /** The relay is gone and nowhere else to go: the calls end, the cause named. */
        END
    }

    /** @param why the decision in words, for the log line and (when calls end) their CDRs */
    public record Decision(Action action, String why) {
    }

    private DeadRelayDecision() {
    }

    /**
     * @param dead            the watch's verdict: its pings went unanswered
     * @param otherUp         whether another relay is up to take the calls
     * @param evidence        what the relay's ng socket told beyond the silence
     * @param silence         how long since the relay last answered
     * @param endAfterSilence the longest silence kept without other evidence
     */
    public static Decision decide(boolean dead, boolean otherUp, Evidence evidence, Duration silence,
                                  Duration endAfterSilence) {
        if (!dead) {
            return new Decision(Action.KEEP, "it answers pings");
        }
        if (otherUp) {
            return new Decision(Action.MOVE, "silent for " + silence.toMillis() + " ms, another relay up");
        }
        if (evidence == Evidence.PORT_UNREACHABLE) {
            return new Decision(Action.END, "its ng port closed (ICMP port unreachable)");
        }
        if (silence.compareTo(endAfterSilence) >= 0) {
            return new Decision(Action.END, "silent for " + silence.toMillis() + " ms (end-after-silence "
                    + endAfterSilence.toMillis() + " ms)");
        }
        return new Decision(Action.KEEP, "silent for " + silence.toMillis() + " ms, no other relay up and no sign it is"
                + " gone: calls kept until it answers, its ng port is found closed or it is silent for "
                + endAfterSilence.toMillis() + " ms");
    }
}
