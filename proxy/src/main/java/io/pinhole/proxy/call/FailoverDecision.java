package io.pinhole.proxy.call;

/**
 * What becomes of one call whose relay died, decided from what is known of it (pure; the
 * {@link RelayFailover} acts on the verdict). An answered call moves to another relay by
 * re-INVITE when that can work. A call still being set up is re-offered: the caller's SDP goes to
 * another relay at once, so the callee's answer, whenever it comes, is given to a live relay and the
 * call connects as it would have (a Kamailio + rtpengine user expects the ringing phone to work when
 * picked up); the callee, offered the dead relay's ports in our INVITE, gets the new relay's by
 * re-INVITE once it answered. Only a call whose caller SDP is unknown (an offerless INVITE) or whose
 * leg goes over a relay stream connection is failed (503).
 */
final class FailoverDecision {

    enum Action {
        /** Not on the dead relay, or already over: nothing to do. */
        NONE,
        /** Answered: offer and answer both phones' SDP to another relay, then re-INVITE both legs. */
        MOVE,
        /** Answered but not movable: BYE both ways, CDR outcome {@code relay-failed}. */
        END,
        /**
         * Not answered yet: the caller's SDP is offered to another relay now, and the callee is
         * re-INVITEd with that relay's SDP once it answered.
         */
        REOFFER,
        /** Not answered yet and not re-offerable: the caller gets 503, the forks are cancelled. */
        FAIL_SETUP
    }

    record Verdict(Action action, String why) {
    }

    private FailoverDecision() {
    }

    /**
     * A leg whose media went over a stream connection of the dead relay (TCP/TLS/HTTP, an edge
     * agent's) moves as any other: the new relay grants it a new token, which the re-INVITE names,
     * and the agent connects its stream link anew.
     *
     * @param onDeadRelay whether the call's media is on the dead relay now
     * @param callerSdp   the caller's last SDP, null when unknown
     * @param calleeSdp   the callee's last SDP, null when unknown
     */
    static Verdict decide(Call.State state, boolean onDeadRelay, String callerSdp, String calleeSdp) {
        if (!onDeadRelay || state == Call.State.ENDED) {
            return new Verdict(Action.NONE, "not on the dead relay");
        }
        if (state != Call.State.ANSWERED) {
            if (callerSdp == null) {
                return new Verdict(Action.FAIL_SETUP, "not answered yet, the caller's SDP is not known");
            }
            return new Verdict(Action.REOFFER, "not answered yet, the caller's SDP known");
        }
        if (callerSdp == null || calleeSdp == null) {
            return new Verdict(Action.END, "a phone's SDP is not known");
        }
        return new Verdict(Action.MOVE, "answered, both SDPs known");
    }
}
