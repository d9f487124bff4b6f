package io.pinhole.proxy.call;

import io.pinhole.sip.PeerGone;
import io.pinhole.proxy.session.AnswerVerdict;
import io.pinhole.proxy.session.SessionTimerHeaders;
import io.pinhole.proxy.session.SessionTimerPolicy;
import io.pinhole.proxy.sip.ServerResponses;
import io.pinhole.proxy.sip.SipMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;

/**
 * Responses on the callee leg's forked INVITEs: provisional ones go to the caller (early media
 * SDP through the relay), the first 2xx wins and the others are cancelled; a trunk's challenge
 * is answered, other failures go to the {@link Forker}, which moves the leg on.
 */
final class BranchResponses {

    private static final Logger LOG = LoggerFactory.getLogger(BranchResponses.class);

    private final CallMessages messages;
    private final CallFailure failure;
    private final CallTerminator terminator;
    private final SipMetrics metrics;
    private final Clock clock;
    private final SessionTimerPolicy timers;
    private final SessionTimerHeaders timerHeaders;
    private final CallPunches punches;
    private final Forker forker;
    private final TrunkAuthenticator trunks;
    private final AnswerRescue answers;

    BranchResponses(CallMessages messages, CallFailure failure, CallTerminator terminator, SipMetrics metrics, Clock clock,
                    SessionTimerPolicy timers, SessionTimerHeaders timerHeaders, CallPunches punches, Forker forker,
                    TrunkAuthenticator trunks, AnswerRescue answers) {
        this.answers = answers;
        this.forker = forker;
        this.trunks = trunks;
        this.punches = punches;
        this.messages = messages;
        this.failure = failure;
        this.terminator = terminator;
        this.metrics = metrics;
        this.clock = clock;
        this.timers = timers;
        this.timerHeaders = timerHeaders;
    }

    void onResponse(Branch branch, Response response) {
        int status = response.getStatusCode();
        synchronized (branch.call) {
            branch.heard = true;
        }
        if (status == 100) {
            return;
        }
        if (status < 200) {
            provisional(branch, response);
        } else if (status < 300) {
            answered(branch, response);
        } else {
            failed(branch, response);
        }
    }

    /** Timer B on a fork: the forker takes it as a 408 from that fork. */
    void onTimeout(Branch branch) {
        forker.timedOut(branch);
    }

    private void provisional(Branch branch, Response response) {
        Call call = branch.call;
        boolean cancelNow;
        boolean forward;
        synchronized (call) {
            cancelNow = branch.cancelPending && !branch.provisional;
            branch.provisional = true;
            forward = call.state != Call.State.ENDED && call.winner == null && !branch.cancelPending;
            if (forward) {
                call.state = Call.State.EARLY;
            }
        }
        if (cancelNow) {
            sendCancel(call, branch);
        }
        if (!forward) {
            return;
        }
        if (requires100rel(response)) {
            prack(branch, response);
        }
        String sdp = CallMessages.sdpOf(response);
        call.inOrder(() -> {
            if (sdp != null && call.media != null) {
                return answers.early(call, branch, toTag(response), sdp) // noted for a move while ringing
                        .handle((rewritten, error) -> {
                            sendProvisional(call, response,
                                    error == null ? call.towards(Side.CALLER, rewritten, null) : null);
                            return null;
                        });
            }
            sendProvisional(call, response, call.media == null ? sdp : null);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
    }

    private void sendProvisional(Call call, Response received, String sdp) {
        Response out = messages.response(call.inviteRequest, received.getStatusCode(), received.getReasonPhrase(),
                call.callerToTag, call.callerFlow.transport());
        if (sdp != null) {
            messages.setSdp(out, sdp);
        }
        synchronized (call) {
            if (call.state != Call.State.EARLY && call.state != Call.State.ROUTING) {
                return;
            }
            if (requires100rel(call.inviteRequest)) {
                sendReliably(call, out);
            } else {
                send(call, out);
            }
        }
    }

    /** RFC 3262: the callee wants its provisional acknowledged; the B2BUA does that itself. */
    private void prack(Branch branch, Response response) {
        try {
            Request prack = branch.dialog.createPrack(response);
            messages.sendInDialog(branch.dialog, branch.flow, prack);
        } catch (Exception e) {
            LOG.warn("call {}: could not PRACK the callee's {}: {}", branch.call.callerCallId, response.getStatusCode(),
                    e.toString());
        }
    }

    /** The caller required 100rel: its provisionals go reliably, and it PRACKs them to us. */
    private void sendReliably(Call call, Response response) {
        try {
            call.callerDialog.sendReliableProvisionalResponse(response);
            metrics.responseOut(response.getStatusCode());
        } catch (Exception e) {
            LOG.info("call {}: reliable {} not sent (one still unacknowledged?): {}", call.callerCallId,
                    response.getStatusCode(), e.toString());
        }
    }

    static boolean requires100rel(javax.sip.message.Message message) {
        ListIterator<?> requires = message.getHeaders(javax.sip.header.RequireHeader.NAME);
        while (requires.hasNext()) {
            if ("100rel".equalsIgnoreCase(((javax.sip.header.RequireHeader) requires.next()).getOptionTag())) {
                return true;
            }
        }
        return false;
    }

    private void answered(Branch branch, Response response) {
        Call call = branch.call;
        boolean won;
        List<Branch> losers = new ArrayList<>();
        synchronized (call) {
            won = call.winner == null && call.state != Call.State.ENDED;
            branch.done = true;
            if (won) {
                call.winner = branch;
                call.calleeRelayTag = toTag(response);
                call.heard(Side.CALLEE, CallMessages.sdpOf(response));
                for (Branch other : call.branches) {
                    if (other != branch && !other.done) {
                        other.done = true;
                        losers.add(other);
                    }
                }
            }
        }
        try {
            messages.ack(branch.dialog, branch.flow, response);
        } catch (Exception e) {
            LOG.warn("call {}: could not ACK the callee: {}", call.callerCallId, e.toString());
        }
        if (!won) {
            // A second fork answered, or the caller gave up meanwhile: hang that one up.
            bye(call, branch);
            return;
        }
        losers.forEach(loser -> cancel(call, loser));
        String sdp = CallMessages.sdpOf(response);
        call.inOrder(() -> {
            if (call.media != null && sdp != null) {
                return answers.answer(call, branch, sdp) // on another relay when the call's cannot take it
                        .handle((rewritten, error) -> {
                            if (error != null) {
                                LOG.warn("call {}: relay refused the answer: {}", call.callerCallId, error.getMessage());
                                bye(call, branch);
                                failure.fail(call, 503, "Media relay unavailable");
                            } else {
                                answerCaller(call, branch, response, call.towards(Side.CALLER, rewritten, null));
                            }
                            return null;
                        });
            }
            answerCaller(call, branch, response, sdp);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        });
    }

    private void answerCaller(Call call, Branch branch, Response received, String sdp) {
        Response out = messages.response(call.inviteRequest, received.getStatusCode(), received.getReasonPhrase(),
                call.callerToTag, call.callerFlow.transport());
        if (sdp != null) {
            messages.setSdp(out, sdp);
        }
        AnswerVerdict session = sessionTimer(call, received, out);
        boolean hangUp = false;
        synchronized (call) {
            if (call.state == Call.State.ENDED) {
                hangUp = true;
            } else {
                call.state = Call.State.ANSWERED;
                call.answeredAt = clock.instant();
                call.session = session.timer();
                call.sdpToCaller = sdp;
                send(call, out);
            }
        }
        Runnable after;
        synchronized (call) {
            after = call.afterAnswer;
            call.afterAnswer = null;
        }
        if (hangUp) {
            bye(call, branch);
        } else if (after != null) {
            after.run(); // moved to another relay while it rang: the callee learns the new relay now
        } else {
            punches.answered(call);
            LOG.debug("call {} {} -> {} answered ({})", call.callerCallId, call.caller, call.callee, call.mediaPath);
        }
    }

    /** RFC 4028 in the caller's 2xx: the interval and refresher agreed on, and the timer we enforce. */
    private AnswerVerdict sessionTimer(Call call, Response received, Response out) {
        if (!timers.enabled()) {
            return AnswerVerdict.NONE;
        }
        AnswerVerdict session = timers.onAnswer(SessionTimerHeaders.read(call.inviteRequest),
                SessionTimerHeaders.sessionExpires(received));
        timerHeaders.addSupportedTimer(out);
        if (session.toCaller() != null) {
            timerHeaders.setSessionExpires(out, session.toCaller());
        }
        if (session.requireTimer()) {
            timerHeaders.addRequireTimer(out);
        }
        return session;
    }

    private void failed(Branch branch, Response response) {
        int code = response.getStatusCode();
        if ((code == 401 || code == 407) && !branch.authenticated && !branch.call.ended()
                && trunks.answer(branch, response)) {
            return; // the same fork again, now with the trunk's credentials
        }
        forker.failed(branch, response);
    }

    private void cancel(Call call, Branch branch) {
        synchronized (call) {
            if (!branch.provisional) {
                branch.cancelPending = true; // sent when its first provisional response arrives
                return;
            }
        }
        sendCancel(call, branch);
    }

    private void sendCancel(Call call, Branch branch) {
        try {
            Request cancel = branch.transaction.createCancel();
            io.pinhole.proxy.sip.FlowRouter.route(cancel, branch.flow);
            messages.provider(branch.flow).getNewClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            LOG.info("call {}: CANCEL of a fork failed: {}", call.callerCallId, e.toString());
        }
    }

    void bye(Call call, Branch branch) {
        try {
            messages.sendInDialog(branch.dialog, branch.flow, branch.dialog.createRequest(Request.BYE));
        } catch (Exception e) {
            LOG.debug("call {}: BYE to a fork failed: {}", call.callerCallId, e.toString());
        }
    }

    void byeLeg(Call call, Leg leg) {
        try {
            messages.sendInDialog(leg.dialog(), leg.flow(), leg.dialog().createRequest(Request.BYE));
        } catch (Exception e) {
            LOG.debug("call {}: BYE after a dead dialog failed: {}", call.callerCallId, e.toString());
        }
    }

    void cancelAll(Call call) {
        List<Branch> pending = new ArrayList<>();
        synchronized (call) {
            for (Branch branch : call.branches) {
                if (!branch.done) {
                    branch.done = true;
                    pending.add(branch);
                }
            }
        }
        pending.forEach(branch -> cancel(call, branch));
    }

    private void send(Call call, Response response) {
        try {
            ServerResponses.send(call.invite, response);
            metrics.responseOut(response.getStatusCode());
        } catch (Exception e) {
            if (PeerGone.is(e)) {
                LOG.info("call {}: could not send {} to the caller: it closed its connection", call.callerCallId,
                        response.getStatusCode());
            } else {
                LOG.warn("call {}: could not send {} to the caller: {}", call.callerCallId, response.getStatusCode(), e.toString());
            }
        }
    }

    private static String toTag(Response response) {
        return ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
    }
}
