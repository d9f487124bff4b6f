package io.pinhole.proxy.call;

import io.pinhole.proxy.cluster.Delivery;
import io.pinhole.proxy.nat.NatDetector;
import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.NewRequest;
import io.pinhole.proxy.sip.RequestHandler;

import javax.sip.message.Request;
import java.util.Optional;

/**
 * A new call (seed 001's sequence), as SIP orchestration: check the INVITE ({@link InviteCheck}),
 * let it through the gate (overload, the caller's credentials and caps: {@link InviteGate}), find
 * where it goes ({@link CalleeLocator} for {@link CallRouting}'s decision) and set up its legs and
 * media ({@link CallSetup}); a call for a conference room is handed to {@link ConferenceEntry}.
 */
public final class InviteHandler implements RequestHandler {

    private final InviteGate gate;
    private final CalleeLocator locator;
    private final CallSetup setup;
    private final ConferenceEntry conferences;
    private final InviteReplies replies;

    InviteHandler(InviteGate gate, CalleeLocator locator, CallSetup setup, ConferenceEntry conferences,
                  InviteReplies replies) {
        this.gate = gate;
        this.locator = locator;
        this.setup = setup;
        this.conferences = conferences;
        this.replies = replies;
    }

    @Override
    public String method() {
        return Request.INVITE;
    }

    /** The overload 503 and the first 407 go without a transaction ({@link InviteGate}); everything else is stateful. */
    @Override
    public boolean answeredStatelessly(NewRequest in) {
        return gate.answeredStatelessly(in);
    }

    @Override
    public void handle(IncomingRequest in) {
        Request request = in.request();
        replies.trying(in);
        InviteCheck.Verdict verdict = InviteCheck.check(request);
        if (verdict instanceof InviteCheck.Invalid invalid) {
            replies.reject(in, invalid.status(), invalid.reason());
            return;
        }
        InviteCheck.Valid invite = (InviteCheck.Valid) verdict;
        Optional<Caller> admitted = gate.admit(in, invite);
        if (admitted.isEmpty()) {
            return;
        }
        String caller = admitted.get().aor();
        CalleeLocator.Located located = locator.locate(in.callId(), request, invite.target(), admitted.get());
        RouteDecision route = located.route();
        switch (route.kind()) {
            case LOCAL -> {
                if (located.delivery() instanceof Delivery.Forward forward) {
                    setup.toOwner(in, caller, located.callee(), forward.owner(), invite.sdp(), invite.summary(),
                            invite.maxForwards(), located.now());
                } else {
                    setup.toBindings(in, caller, located.callee(), invite.sdp(), invite.summary(),
                            ((Delivery.Local) located.delivery()).bindings(), invite.maxForwards(), located.now());
                }
            }
            case CONFERENCE -> conferences.join(in, caller, route.target(),
                    NatDetector.detect(NatEvidences.caller(in.flow(), request, invite.summary())).behindNat());
            case REDIRECT -> setup.toRedirectTargets(in, caller, invite.target(), invite.sdp(), invite.summary(),
                    invite.maxForwards(), located.now());
            case UNAVAILABLE -> replies.reject(in, 480, locator.unavailable(located));
            case NOT_FOUND -> replies.reject(in, 404, "Not Found");
            case RELAYING_DENIED -> replies.reject(in, 403, "Relaying denied");
        }
    }
}
