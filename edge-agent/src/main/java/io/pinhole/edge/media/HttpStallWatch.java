package io.pinhole.edge.media;

import java.util.Locale;

/**
 * Watches an HTTP media link's two outstanding requests (the long poll and the POST) and says when
 * one is overdue ({@link HttpTimeouts}). The agent is not told the relay's hold; it learns it from
 * the empty answers to its polls, each of which comes once the hold ran out, and keeps the longest
 * seen (a newer poll may cut an older one short, never make it longer). The first answer after a
 * (re)start teaches nothing: a relay answers the request that opens its session at once. Until an
 * empty answer was seen the poll's bound assumes the longest hold a relay allows. No I/O, no clock:
 * the link passes System.nanoTime() in, on its session's loop.
 */
final class HttpStallWatch {

    private final long maxHold;
    private final long margin;
    private final long postAnswer;
    /** The longest empty poll answer seen, in ns; negative: none yet. */
    private long hold = -1;
    private boolean pollOut;
    private long pollSince;
    private boolean postOut;
    private long postSince;
    private boolean sessionAnswered;

    HttpStallWatch(HttpTimeouts limits) {
        this.maxHold = limits.maxHold().toNanos();
        this.margin = limits.margin().toNanos();
        this.postAnswer = limits.postAnswer().toNanos();
    }

    void pollSent(long now) {
        pollOut = true;
        pollSince = now;
    }

    /** @param empty whether the answer carried no frames (it came when the hold ran out) */
    void pollAnswered(long now, boolean empty) {
        if (pollOut && empty && sessionAnswered) {
            hold = Math.max(hold, Math.min(now - pollSince, maxHold));
        }
        pollOut = false;
        sessionAnswered = true;
    }

    void postSent(long now) {
        postOut = true;
        postSince = now;
    }

    void postAnswered() {
        postOut = false;
    }

    /** The connection carrying the poll or the POST went away: its request is no longer awaited. */
    void forget(boolean polling) {
        if (polling) {
            pollOut = false;
        } else {
            postOut = false;
        }
    }

    /** The link starts over: nothing outstanding, and the next answer may open a new session. */
    void restart() {
        pollOut = false;
        postOut = false;
        sessionAnswered = false;
    }

    long pollBound() {
        return (hold < 0 ? maxHold : hold) + margin;
    }

    /** Why the link is dead at {@code now}, in words; null while both requests are within their bounds. */
    String overdue(long now) {
        if (pollOut && now - pollSince > pollBound()) {
            return "its long poll had no answer for " + seconds(now - pollSince) + " s ("
                    + (hold < 0 ? "the relay holds one at most " + seconds(maxHold) + " s"
                    : "the relay answered the earlier ones empty within " + seconds(hold) + " s") + ")";
        }
        if (postOut && now - postSince > postAnswer) {
            return "a POST had no answer for " + seconds(now - postSince) + " s (the relay answers one at once)";
        }
        return null;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
