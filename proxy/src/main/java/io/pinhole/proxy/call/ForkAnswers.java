package io.pinhole.proxy.call;

import io.pinhole.proxy.session.AnswerVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.header.ToHeader;
import javax.sip.message.Response;
import java.time.Clock;

/**
 * A fork's 2xx: ACKed at once; the winner ({@link WinnerElection}) has the other forks cancelled
 * and its answer, through the relay, goes to the caller in our 2xx; a losing one is hung up. Once
 * answered, the call is handed to hole punching or to a relay move waiting for the answer.
 */
final class ForkAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(ForkAnswers.class);

    private final CallMessages messages;
    private final CallerResponses caller;
    private final SessionTimerAnswer sessionTimer;
    private final ForkHangups hangups;
    private final CallFailure failure;
    private final CallPunches punches;
    private final Clock clock;
    private final AnswerRescue answers;

    ForkAnswers(CallMessages messages, CallerResponses caller, SessionTimerAnswer sessionTimer, ForkHangups hangups,
                CallFailure failure, CallPunches punches, Clock clock, AnswerRescue answers) {
        this.answers = answers;
        this.messages = messages;
        this.caller = caller;
        this.sessionTimer = sessionTimer;
        this.hangups = hangups;
        this.failure = failure;
        this.punches = punches;
        this.clock = clock;
    }

    void onAnswer(Branch branch, Response response) {
        Call call = branch.call;
        String sdp = CallMessages.sdpOf(response);
        String tag = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
        WinnerElection.Election election;
        synchronized (call) {
            election = WinnerElection.elect(branch, call.state, call.winner, call.branches);
            branch.done = true;
            if (election.won()) {
                call.winner = branch;
                call.calleeRelayTag = tag;
                call.heard(Side.CALLEE, sdp);
                election.losers().forEach(loser -> loser.done = true);
            }
        }
        try {
            messages.ack(call, branch.dialog, branch.flow, response);
        } catch (Exception e) {
            LOG.warn("call {}: could not ACK the callee: {}", call.callerCallId, e.toString());
        }
        if (!election.won()) {
            // A second fork answered, or the caller gave up meanwhile: hang that one up.
            hangups.bye(call, branch);
            return;
        }
        election.losers().forEach(loser -> hangups.cancel(call, loser));
        // on another relay at once when the call's cannot take it (it died, not yet found dead)
        RelayAnswer.inOrder(call, sdp, () -> answers.answer(call, branch, sdp),
                toCaller -> answerCaller(call, branch, response, toCaller), error -> {
            LOG.warn("call {}: relay refused the answer: {}", call.callerCallId, error.getMessage());
            hangups.bye(call, branch);
            failure.fail(call, 503, "Media relay unavailable");
        });
    }

    private void answerCaller(Call call, Branch branch, Response received, String sdp) {
        Response out = caller.copyOf(call, received, sdp);
        AnswerVerdict session = sessionTimer.agree(call, received, out);
        boolean hangUp = false;
        synchronized (call) {
            if (call.state == Call.State.ENDED) {
                hangUp = true;
            } else {
                call.state = Call.State.ANSWERED;
                call.answeredAt = clock.instant();
                call.session = session.timer();
                call.answeredCaller(sdp);
                caller.send(call, out);
            }
        }
        Runnable after;
        synchronized (call) {
            after = call.afterAnswer;
            call.afterAnswer = null;
        }
        if (hangUp) {
            hangups.bye(call, branch);
        } else if (after != null) {
            after.run(); // moved to another relay while it rang: the callee learns the new relay now
        } else {
            punches.answered(call);
            LOG.debug("call {} {} -> {} answered ({})", call.callerCallId, call.caller, call.callee, call.mediaPath);
        }
    }
}
