package io.pinhole.proxy.call;

import io.pinhole.proxy.punch.PunchCall;
import io.pinhole.proxy.sip.FlowRouter;
import io.pinhole.proxy.sip.ResponseListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One answered call as hole punching sees it: its relay session, the SDP each phone has, and re-INVITEs of our own. */
final class CallPunch implements PunchCall {

    private static final Logger LOG = LoggerFactory.getLogger(CallPunch.class);

    private final Call call;
    private final CallMessages messages;
    private final CallRegistry registry;

    CallPunch(Call call, CallMessages messages, CallRegistry registry) {
        this.call = call;
        this.messages = messages;
        this.registry = registry;
    }

    @Override
    public String callId() {
        return call.callerCallId;
    }

    @Override
    public CompletableFuture<Map<String, Object>> query() {
        return call.media.query();
    }

    @Override
    public String relayTag(Side side) {
        Leg leg = call.leg(side);
        return leg == null ? null : leg.relayTag();
    }

    @Override
    public String sdpSentTo(Side side) {
        synchronized (call) {
            if (side == Side.CALLER) {
                return call.sdpToCaller;
            }
            return call.winner == null ? null : CallMessages.sdpOf(call.winner.transaction.getRequest());
        }
    }

    @Override
    public CompletableFuture<Integer> reInvite(Side side, String sdp) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Leg leg = call.leg(side);
        try {
            Request invite = leg.dialog().createRequest(Request.INVITE);
            messages.setSdp(invite, sdp);
            FlowRouter.route(invite, leg.flow());
            ClientTransaction transaction = messages.provider(leg.flow()).getNewClientTransaction(invite);
            registry.addListener(transaction, new ResponseListener() {
                @Override
                public void onResponse(Response response) {
                    int status = response.getStatusCode();
                    if (status < 200) {
                        return;
                    }
                    if (status < 300) {
                        try {
                            messages.ack(leg.dialog(), leg.flow(), response);
                        } catch (Exception e) {
                            LOG.warn("call {}: could not ACK our re-INVITE to the {}: {}", call.callerCallId, side,
                                    e.toString());
                        }
                    }
                    done.complete(status);
                }

                @Override
                public void onTimeout() {
                    done.completeExceptionally(new IllegalStateException("re-INVITE to the " + side + " timed out"));
                }
            });
            leg.dialog().sendRequest(transaction);
        } catch (Exception e) {
            // Most often glare: the phone's own re-INVITE on that dialog is still pending.
            LOG.info("call {}: re-INVITE to the {} not sent: {}", call.callerCallId, side, e.toString());
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public boolean over() {
        synchronized (call) {
            return call.state == Call.State.ENDED || call.renegotiated;
        }
    }

    @Override
    public void wentDirect(Instant at) {
        synchronized (call) {
            if (!call.renegotiated) {
                call.directFrom = at;
            }
        }
    }

    @Override
    public void relayed(String why) {
        synchronized (call) {
            call.punchOutcome = why;
        }
    }
}
