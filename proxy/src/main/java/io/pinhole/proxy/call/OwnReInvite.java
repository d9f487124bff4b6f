package io.pinhole.proxy.call;

import io.pinhole.proxy.sip.FlowRouter;
import io.pinhole.proxy.sip.ResponseListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A re-INVITE of our own inside one leg of an answered call, to move that phone's media (hole
 * punching moves it direct and back, relay failover to another relay): sent along the leg's flow,
 * its 2xx ACKed, the SDP sent and the answer's noted on the call ({@link Call#told}, {@link Call#heard}).
 */
final class OwnReInvite {

    private static final Logger LOG = LoggerFactory.getLogger(OwnReInvite.class);

    private final CallMessages messages;
    private final CallRegistry registry;
    private final Glare glare;
    /** Waits out glare before the next attempt; never a SIP thread. */
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reinvite-glare");
        t.setDaemon(true);
        return t;
    });

    OwnReInvite(CallMessages messages, CallRegistry registry, Glare glare) {
        this.messages = messages;
        this.registry = registry;
        this.glare = glare;
    }

    /**
     * Completes with the final response (a 2xx is ACKed first); exceptionally when the leg is not
     * settled, the request could not be sent or it timed out. Glare (the phone's own re-INVITE on
     * that dialog still open: a 491, or the stack refusing ours) is waited out and tried again as
     * RFC 3261 14.1 says, up to {@link Glare#attempts()} in all; then the last answer or failure.
     */
    CompletableFuture<Response> send(Call call, Side side, String sdp) {
        CompletableFuture<Response> done = new CompletableFuture<>();
        attempt(call, side, sdp, 1, done);
        return done;
    }

    /** As {@link #send}, but one attempt: a 491 is the final answer. */
    CompletableFuture<Response> sendOnce(Call call, Side side, String sdp) {
        return once(call, side, sdp);
    }

    private void attempt(Call call, Side side, String sdp, int attempt, CompletableFuture<Response> done) {
        once(call, side, sdp).whenComplete((response, failure) -> {
            boolean again = attempt < glare.attempts() && call.leg(side) != null
                    && (failure != null ? !(failure instanceof IllegalStateException) : Glare.isGlare(response.getStatusCode()));
            if (!again) {
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(response);
                }
                return;
            }
            long wait = Glare.wait(side, ThreadLocalRandom.current()::nextDouble).toMillis();
            LOG.info("call {}: our re-INVITE to the {} met the phone's own ({}): trying again in {} ms",
                    call.callerCallId, side, failure != null ? failure.toString() : response.getStatusCode(), wait);
            retries.schedule(() -> attempt(call, side, sdp, attempt + 1, done), wait, TimeUnit.MILLISECONDS);
        });
    }

    private CompletableFuture<Response> once(Call call, Side side, String sdp) {
        CompletableFuture<Response> done = new CompletableFuture<>();
        Leg leg = call.leg(side);
        if (leg == null) {
            done.completeExceptionally(new IllegalStateException("the " + side + " leg is not settled"));
            return done;
        }
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
                        call.heard(side, CallMessages.sdpOf(response));
                        try {
                            messages.ack(call, leg.dialog(), leg.flow(), response);
                        } catch (Exception e) {
                            LOG.warn("call {}: could not ACK our re-INVITE to the {}: {}", call.callerCallId, side,
                                    e.toString());
                        }
                    }
                    done.complete(response);
                }

                @Override
                public void onTimeout() {
                    done.completeExceptionally(new IllegalStateException("re-INVITE to the " + side + " timed out"));
                }
            });
            leg.dialog().sendRequest(transaction);
            call.told(side, sdp);
        } catch (Exception e) {
            LOG.info("call {}: re-INVITE to the {} not sent: {}", call.callerCallId, side, e.toString());
            done.completeExceptionally(e);
        }
        return done;
    }
}
