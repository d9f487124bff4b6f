package io.pinhole.proxy.punch;

import java.time.Duration;

/**
 * The decisions of hole punching, pure: when a relayed call may move direct, and whether a moved
 * call is direct or must go back to the relay.
 *
 * <p>The evidence is the relay's own packet counts. Once a phone has accepted the re-offer that
 * points it at the other phone, it has no reason to send to the relay: packets from it that the
 * relay still counts after the move has settled mean it did not switch (it kept the old address,
 * or a middlebox rewrote its media), and the call goes back to the relay at once. A call whose
 * phones both went quiet at the relay for the whole check window is judged direct. What this
 * cannot see is a direct packet lost between the two NATs: the planner moves only pairs whose NATs
 * both keep one public port for every destination (endpoint-independent mapping), for which the
 * simultaneous first packets of both phones open both filters (RFC 5128 §3.3).
 *
 * <p>A phone that sends RTCP gives the proof the counters cannot: the move leaves its RTCP on the
 * relay (RFC 3605 {@code a=rtcp} naming the relay), and its receiver reports say the highest
 * sequence number it got from the other phone. Beyond the last one the relay forwarded, those
 * packets came direct ({@link #arrival}); not beyond, a report after the move says nothing
 * arrives, and the call goes back. RTCP comes every few seconds, so this proof comes after the
 * counters' verdict: until then the call is direct on the counters' word ({@link #prove}).
 */
public final class PunchJudge {

    /** Packets a phone may still send to the relay after the move settled (reordering, a last queued frame). */
    static final long STRAY_PACKETS = 2;

    /** Whether the move can start. */
    public sealed interface Readiness {
    }

    /** Both phones latched: each is to send to the other's public address. */
    public record Ready(RelayObservation.Stream caller, RelayObservation.Stream callee) implements Readiness {
    }

    /** Not yet: the relay has not latched both phones. */
    public record NotYet(String why) implements Readiness {
    }

    /** Never, for this call. */
    public record Never(String why) implements Readiness {
    }

    public enum Verdict { WAIT, DIRECT, FALL_BACK }

    public record Check(Verdict verdict, String reason) {
    }

    private PunchJudge() {
    }

    public static Readiness ready(RelayObservation seen) {
        if (seen.caller() == null || seen.callee() == null) {
            return new NotYet("the relay does not show both sides yet");
        }
        if (seen.caller().streams() != 1 || seen.callee().streams() != 1) {
            return new Never("more than one media stream: punching moves a single audio stream");
        }
        if (!seen.caller().latched() || !seen.callee().latched()) {
            return new NotYet("waiting for the relay to latch the " + (seen.caller().latched() ? "callee" : "caller"));
        }
        if (seen.caller().address() == null || seen.callee().address() == null) {
            return new Never("the relay shows no latched address");
        }
        String moved = portMoved("caller", seen.caller());
        if (moved == null) {
            moved = portMoved("callee", seen.callee());
        }
        if (moved != null) {
            return new Never(moved);
        }
        return new Ready(seen.caller(), seen.callee());
    }

    /**
     * The probe judged each NAT endpoint-independent because it kept the phone's port; a media
     * mapping that did not keep it (the port was taken, say by a packet that reached the NAT first)
     * gives no such evidence, and the mapping towards the other phone may differ from the one the
     * relay sees: the other phone would send into nothing.
     */
    private static String portMoved(String who, RelayObservation.Stream stream) {
        if (stream.sdpPort() == 0 || stream.sdpPort() == stream.port()) {
            return null;
        }
        return "the " + who + "'s NAT did not keep its media port (SDP " + stream.sdpPort() + ", relay sees "
                + stream.port() + "): its mapping towards the other phone is not known";
    }

    /**
     * @param sinceMoved     time since both phones accepted the move
     * @param window         how long the phones must stay away from the relay to be judged direct
     * @param baselineTaken  whether the counts below are from after the move settled
     * @param callerSince    packets the relay got from the caller since then
     * @param calleeSince    packets the relay got from the callee since then
     */
    public static Check verify(Duration sinceMoved, Duration window, boolean baselineTaken, long callerSince,
                               long calleeSince) {
        if (baselineTaken && (callerSince > STRAY_PACKETS || calleeSince > STRAY_PACKETS)) {
            String who = callerSince > STRAY_PACKETS && calleeSince > STRAY_PACKETS ? "both phones still send"
                    : callerSince > STRAY_PACKETS ? "the caller still sends" : "the callee still sends";
            return new Check(Verdict.FALL_BACK, who + " to the relay after accepting the move (" + callerSince + "/"
                    + calleeSince + " packets)");
        }
        if (baselineTaken && sinceMoved.compareTo(window) >= 0) {
            return new Check(Verdict.DIRECT, "both phones left the relay");
        }
        return new Check(Verdict.WAIT, "checking");
    }

    /**
     * How long after the move an RTCP report counts: a report that left the phone in the first
     * moments may describe the time before the other phone's direct packets could arrive.
     */
    static final Duration REPORT_SETTLE = Duration.ofMillis(300);

    /**
     * How long after the move the RTCP proof is waited for: baresip (libre) reports every 5 s,
     * RFC 3550 §6.2 allows up to 1.5 times the interval; a phone that sent no report by then is
     * judged by the relay's counters alone.
     */
    public static final Duration RTCP_WAIT = Duration.ofSeconds(8);

    /** What one phone's RTCP, kept on the relay after the move (RFC 3605), says of the other phone's media. */
    public enum Arrival {
        /** No report since the move settled (yet, or the phone sends no RTCP): no evidence. */
        NO_REPORT,
        /** It received packets the relay never forwarded: they came direct. */
        ARRIVING,
        /** It received nothing beyond what the relay forwarded before the move: direct media does not reach it. */
        NOT_ARRIVING
    }

    /**
     * What a phone's last report says of the other phone's media.
     *
     * @param sinceMoved   time from the move to the query that read {@code report}
     * @param report       the phone's last RTCP report at the relay, or null
     * @param otherAtRelay the other phone's last RTP packet at the relay (its SSRC, and the last
     *                     sequence number the relay forwarded), or null
     */
    public static Arrival arrival(Duration sinceMoved, RelayObservation.Report report, RelayObservation.LastRtp otherAtRelay) {
        if (report == null || otherAtRelay == null
                || sinceMoved.minusMillis(report.ageMillis()).compareTo(REPORT_SETTLE) < 0) {
            return Arrival.NO_REPORT;
        }
        for (RelayObservation.Block block : report.blocks()) {
            if (block.ssrc() == otherAtRelay.ssrc()) {
                // sequence numbers wrap at 16 bits: ahead by less than half the space is ahead
                int ahead = (int) ((block.highestSeq() - otherAtRelay.seq()) & 0xffff);
                return ahead > 0 && ahead < 0x8000 ? Arrival.ARRIVING : Arrival.NOT_ARRIVING;
            }
        }
        // RFC 3550 §6.4: a report has a block for each source heard since the last one; none for the other phone
        return Arrival.NOT_ARRIVING;
    }

    /**
     * What the proof says: wait, direct (and on which evidence), or back to the relay.
     *
     * @param kind the evidence in one word, for the metric: rtcp, rtcp-one-phone, counters, no-arrival
     */
    public record Proof(Verdict verdict, String evidence, String kind) {
    }

    /**
     * Whether direct media is proven to reach both phones, after the counters judged the call
     * direct. Both phones' reports showing arrival prove it; one showing none sends the call back;
     * a phone without a report by {@link #RTCP_WAIT} (SIPp playing a capture sends no RTCP) leaves
     * its leg to the counters.
     */
    public static Proof prove(Duration sinceMoved, Arrival caller, Arrival callee) {
        if (caller == Arrival.NOT_ARRIVING || callee == Arrival.NOT_ARRIVING) {
            String who = caller == Arrival.NOT_ARRIVING && callee == Arrival.NOT_ARRIVING ? "both phones hear"
                    : caller == Arrival.NOT_ARRIVING ? "the caller hears" : "the callee hears";
            return new Proof(Verdict.FALL_BACK, "RTCP receiver reports: " + who
                    + " no direct media (nothing beyond what the relay forwarded before the move)", "no-arrival");
        }
        if (caller == Arrival.ARRIVING && callee == Arrival.ARRIVING) {
            return new Proof(Verdict.DIRECT, "RTCP receiver reports from both phones", "rtcp");
        }
        if (sinceMoved.compareTo(RTCP_WAIT) < 0) {
            return new Proof(Verdict.WAIT, "waiting for RTCP reports", "");
        }
        if (caller == Arrival.ARRIVING || callee == Arrival.ARRIVING) {
            return new Proof(Verdict.DIRECT, "RTCP receiver reports from the " + (caller == Arrival.ARRIVING ? "caller" : "callee")
                    + ", relay counters only for the " + (caller == Arrival.ARRIVING ? "callee" : "caller"), "rtcp-one-phone");
        }
        return new Proof(Verdict.DIRECT, "relay counters only", "counters");
    }

    /** The check window within the bound: half of it, so the way back fits in the other half. */
    public static Duration window(Duration bound) {
        return bound.dividedBy(2);
    }
}
