package io.pinhole.proxy.call;

import javax.sip.header.ToHeader;
import javax.sip.message.Response;

/**
 * A fork's provisional responses (180, 183, …) to the caller while the call rings: with the relay's
 * SDP for early media, reliably where the caller asked for 100rel, the callee's PRACKed where it
 * did ({@link ReliableProvisionals}). What each one leads to is {@link EarlyVerdict}'s decision.
 */
final class EarlyResponses {

    private final CallerResponses caller;
    private final ReliableProvisionals reliable;
    private final ForkHangups hangups;
    private final AnswerRescue answers;

    EarlyResponses(CallerResponses caller, ReliableProvisionals reliable, ForkHangups hangups, AnswerRescue answers) {
        this.caller = caller;
        this.reliable = reliable;
        this.hangups = hangups;
        this.answers = answers;
    }

    void onProvisional(Branch branch, Response response) {
        Call call = branch.call;
        EarlyVerdict verdict;
        synchronized (call) {
            verdict = EarlyVerdict.of(branch.cancelPending, branch.provisional, call.state, call.winner != null);
            branch.provisional = true;
            branch.allowsUpdate |= EarlyUpdateChoice.allowsUpdate(response);
            if (verdict.forward()) {
                call.state = Call.State.EARLY;
            }
        }
        if (verdict.cancelNow()) {
            hangups.sendCancel(call, branch);
        }
        if (!verdict.forward()) {
            return;
        }
        boolean reliably = ReliableProvisionals.required(response);
        if (reliably) {
            reliable.acknowledge(branch, response);
        }
        String tag = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
        // Noted on the call, so a move to another relay while it rings takes the early media along. A
        // relay that cannot take it (dying, not yet found dead) has it given to another relay, whose SDP
        // the caller's 18x then names (AnswerRescue); with none, the caller rings without SDP, since
        // early media is no reason to fail the call.
        String early = CallMessages.sdpOf(response);
        RelayAnswer.inOrder(call, early, () -> answers.early(call, branch, tag, early, reliably),
                sdp -> send(call, response, sdp), error -> send(call, response, null));
    }

    private void send(Call call, Response received, String sdp) {
        Response out = caller.copyOf(call, received, sdp);
        synchronized (call) {
            if (call.state != Call.State.EARLY && call.state != Call.State.ROUTING) {
                return; // answered or ended meanwhile: a late provisional must not follow the final response
            }
            reliable.sendToCaller(call, out);
        }
    }
}
