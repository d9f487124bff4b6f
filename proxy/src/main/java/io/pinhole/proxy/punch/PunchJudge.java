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

    /** The check window within the bound: half of it, so the way back fits in the other half. */
    public static Duration window(Duration bound) {
        return bound.dividedBy(2);
    }
}
