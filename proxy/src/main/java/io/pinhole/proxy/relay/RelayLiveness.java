package io.pinhole.proxy.relay;

import java.util.List;

/**
 * Whether a relay is dead, as a pure function of its recent pings: dead once {@code misses} pings
 * sent after its latest answer have each waited at least one ping interval unanswered (a late
 * answer, even to an older ping, proves the relay alive and starts the count again).
 *
 * <p>Why a count of missed pings and not one ng timeout: the ng client retransmits a command for its
 * whole timeout (2 s by default) before failing it, too slow for a 2 s detection; and one lost ping
 * (a UDP datagram) must not move every call of a relay, a run of them may.
 */
public final class RelayLiveness {

    /**
     * One ping: when it was sent, and when an answer came ({@code -1} while none did); milliseconds
     * on any monotonic clock.
     */
    public record Ping(long sentAt, long answeredAt) {
        public boolean answered() {
            return answeredAt >= 0;
        }
    }

    private RelayLiveness() {
    }

    /**
     * Missed pings: those sent after the relay's latest answer (to any ping) that have been waiting
     * for at least {@code allowance} with no answer. A ping younger than the allowance is neither a
     * miss nor an answer yet; a ping lost before a later answer is no miss (the relay was alive).
     *
     * @param history any order
     */
    public static int misses(List<Ping> history, long now, long allowance) {
        long lastAnswer = Long.MIN_VALUE;
        for (Ping ping : history) {
            lastAnswer = Math.max(lastAnswer, ping.answeredAt());
        }
        int missed = 0;
        for (Ping ping : history) {
            if (!ping.answered() && ping.sentAt() >= lastAnswer && now - ping.sentAt() >= allowance) {
                missed++;
            }
        }
        return missed;
    }

    /** Dead: at least {@code misses} pings missed (see {@link #misses(List, long, long)}). */
    public static boolean dead(List<Ping> history, long now, long allowance, int misses) {
        return misses(history, now, allowance) >= misses;
    }
}
