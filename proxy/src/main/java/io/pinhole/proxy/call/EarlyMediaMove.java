package io.pinhole.proxy.call;

import io.pinhole.proxy.media.NgFlags;
import io.pinhole.proxy.punch.DirectSdp;
import io.pinhole.proxy.relay.MediaSession;
import io.pinhole.proxy.sip.FlowRouter;
import io.pinhole.proxy.sip.ResponseListener;
import io.pinhole.proxy.sip.ServerResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Early media of a ringing call re-offered to another relay because its relay died (issue 15): the
 * callee's early answer is given to the new relay, the caller gets a 183 with that relay's SDP, and
 * the callee, offered the dead relay's ports, is told of the new one as {@link EarlyUpdateChoice}
 * decides: by an UPDATE (RFC 3311) in its early dialog with the new relay's offer when it allows
 * UPDATE and its early answer came reliably, so both send their early media to the live relay; else
 * (or when it refuses the UPDATE, or does not answer within {@link RelayFailover#REINVITE_BOUND}) it
 * keeps ringing and gets the new relay by re-INVITE once it answers, the caller's early media still
 * reaching it meanwhile. Nothing is done for a caller that required 100rel (a second reliable 183
 * with another answer is no good), nor without an early answer.
 */
final class EarlyMediaMove {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyMediaMove.class);

    private final CallMessages messages;
    private final CallRegistry registry;

    EarlyMediaMove(CallMessages messages, CallRegistry registry) {
        this.messages = messages;
        this.registry = registry;
    }

    /**
     * The call was just switched to {@code fresh}, whose offer gave {@code toCallee} (SDP for the
     * callee); still ringing with an early answer, its early media is resumed there.
     */
    void resume(Call call, MediaSession fresh, String toCallee) {
        EarlyAnswer early;
        synchronized (call) {
            early = ringing(call);
            if (early == null || ReliableProvisionals.required(call.inviteRequest)) {
                return;
            }
        }
        Branch branch = early.branch();
        NgFlags flags = call.calleeFlags(branch.flow, branch.nat.behindNat());
        fresh.answer(early.sdp(), call.inviteFromTag(), early.toTag(), branch.flow, flags).whenComplete((toCaller, error) -> {
            if (error != null) {
                LOG.info("call {}: relay {} refused the callee's early answer: {}", call.callerCallId,
                        fresh.relay().name(), error.toString());
                return;
            }
            progress(call, call.towards(Side.CALLER, toCaller, null));
        });
        tellCallee(call, fresh, toCallee);
    }

    /**
     * The ringing call's callee, whose early answer {@code fresh} has (or is being given), learns of
     * {@code fresh}: by UPDATE with {@code toCallee} now, or by re-INVITE once it answers (the call's
     * {@code afterAnswer}, set by {@link RelayFailover}); which one is logged, with why.
     */
    void tellCallee(Call call, MediaSession fresh, String toCallee) {
        EarlyAnswer early;
        EarlyUpdateChoice.Choice choice;
        synchronized (call) {
            early = ringing(call);
            if (early == null) {
                return;
            }
            choice = EarlyUpdateChoice.of(early.branch().allowsUpdate, early.reliable());
        }
        if (!choice.update()) {
            LOG.info("call {} {} -> {}: no UPDATE to the ringing callee for relay {} ({}): it is re-INVITEd onto it "
                    + "once it answers", call.callerCallId, call.caller, call.callee, fresh.relay().name(), choice.why());
            return;
        }
        LOG.info("call {} {} -> {}: UPDATE to the ringing callee with relay {}'s offer ({})", call.callerCallId,
                call.caller, call.callee, fresh.relay().name(), choice.why());
        Branch branch = early.branch();
        NgFlags flags = call.calleeFlags(branch.flow, branch.nat.behindNat());
        String current = CallMessages.sdpOf(branch.transaction().getRequest());
        String offer = DirectSdp.above(call.towards(Side.CALLEE, toCallee, branch.flow), current);
        update(call, branch, offer).orTimeout(RelayFailover.REINVITE_BOUND.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, error) -> {
                    String answer = response == null ? null : CallMessages.sdpOf(response);
                    if (error != null || response.getStatusCode() >= 300 || answer == null) {
                        LOG.info("call {}: the callee did not take the new relay's early offer ({}): its early media "
                                + "waits for the answer", call.callerCallId, error != null ? error.toString()
                                : response.getStatusCode() + (answer == null ? " without SDP" : ""));
                        return;
                    }
                    synchronized (call) {
                        call.earlyAnswer = new EarlyAnswer(branch, early.toTag(), answer, early.reliable());
                    }
                    call.told(Side.CALLEE, offer); // a re-INVITE after the answer goes above its o= version
                    fresh.answer(answer, call.inviteFromTag(), early.toTag(), branch.flow, flags)
                            .whenComplete((ignored, failed) -> {
                                if (failed != null) {
                                    LOG.info("call {}: relay {} refused the callee's UPDATE answer: {}",
                                            call.callerCallId, fresh.relay().name(), failed.toString());
                                } else {
                                    LOG.info("call {} {} -> {}: early media resumed on relay {}", call.callerCallId,
                                            call.caller, call.callee, fresh.relay().name());
                                }
                            });
                });
    }

    /** The call's early answer while it still rings unanswered, else null. Under the call's lock. */
    private static EarlyAnswer ringing(Call call) {
        EarlyAnswer early = call.earlyAnswer;
        return early == null || call.state != Call.State.EARLY || call.winner != null ? null : early;
    }

    /** A 183 with the new relay's SDP to the caller, while the call still rings. */
    private void progress(Call call, String sdp) {
        Response out = messages.response(call.inviteRequest, 183, "Session Progress", call.callerToTag,
                call.callerFlow.transport());
        messages.setSdp(out, sdp);
        synchronized (call) {
            if (call.state != Call.State.EARLY) {
                return; // answered meanwhile: the 200 names the new relay
            }
            try {
                ServerResponses.send(call.invite, out);
            } catch (Exception e) {
                LOG.info("call {}: 183 with the new relay's SDP not sent: {}", call.callerCallId, e.toString());
            }
        }
    }

    /** RFC 3311 UPDATE in the fork's early dialog; completes with its final response. */
    private CompletableFuture<Response> update(Call call, Branch branch, String sdp) {
        CompletableFuture<Response> done = new CompletableFuture<>();
        try {
            Request update = branch.dialog.createRequest(Request.UPDATE);
            messages.setSdp(update, sdp);
            FlowRouter.route(update, branch.flow);
            ClientTransaction transaction = messages.provider(branch.flow).getNewClientTransaction(update);
            registry.addListener(transaction, new ResponseListener() {
                @Override
                public void onResponse(Response response) {
                    if (response.getStatusCode() >= 200) {
                        done.complete(response);
                    }
                }

                @Override
                public void onTimeout() {
                    done.completeExceptionally(new IllegalStateException("UPDATE to the callee timed out"));
                }
            });
            branch.dialog.sendRequest(transaction);
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
        return done;
    }
}
