package io.pinhole.proxy.call;

import io.pinhole.proxy.sip.FlowRouter;
import io.pinhole.proxy.sip.ResponseListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.CompletableFuture;

/**
 * A re-INVITE of our own inside one leg of an answered call, to move that phone's media (hole
 * punching moves it direct and back, relay failover to another relay): sent along the leg's flow,
 * its 2xx ACKed, the SDP sent and the answer's noted on the call ({@link Call#told}, {@link Call#heard}).
 */
final class OwnReInvite {

    private static final Logger LOG = LoggerFactory.getLogger(OwnReInvite.class);

    private final CallMessages messages;
    private final CallRegistry registry;

    OwnReInvite(CallMessages messages, CallRegistry registry) {
        this.messages = messages;
        this.registry = registry;
    }

    /**
     * Completes with the final response (a 2xx is ACKed first); exceptionally when the leg is not
     * settled, the request could not be sent (most often glare: the phone's own re-INVITE on that
     * dialog is still pending) or it timed out.
     */
    CompletableFuture<Response> send(Call call, Side side, String sdp) {
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
                            messages.ack(leg.dialog(), leg.flow(), response);
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
