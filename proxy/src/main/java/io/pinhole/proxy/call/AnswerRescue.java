package io.pinhole.proxy.call;

import io.pinhole.proxy.media.NgFlags;
import io.pinhole.proxy.relay.MediaSession;
import io.pinhole.proxy.relay.Relay;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Gives the callee's answer (its 200's SDP) to the call's relay, and when that relay cannot take it
 * moves the call to another relay at once instead of failing it (issue 15): the relay may have died
 * in the 1.2–1.6 s before the failover watch finds it dead, or lost the call. A Kamailio + rtpengine
 * user expects the call kept; the caller gets its 200 through the live relay and the callee is
 * re-INVITEd onto it ({@link RelayFailover#answerElsewhere}).
 *
 * <p>The callee's early answer (a 18x's SDP) is rescued the same way: the caller's 18x names the live
 * relay, and the callee learns of it as {@link EarlyMediaMove} tells it.
 *
 * <p>No answer waits out the ng timeout (2 s of retransmissions) on a relay known to be dead while
 * another relay could take the call: one already marked down is not asked at all, and a pending
 * answer is cut short the moment the watch marks its relay down ({@link Relay#untilDown}). With no
 * other relay up, the call's own relay is asked and waited for even when marked down.
 */
final class AnswerRescue {

    private final RelayFailover failover;
    private final Executor callbacks;

    /** @param callbacks the relay pool's: a move started by the watch's verdict must not run on its thread */
    AnswerRescue(RelayFailover failover, Executor callbacks) {
        this.failover = failover;
        this.callbacks = callbacks;
    }

    /** The SDP for the caller's 200: the call's relay's rewrite of {@code sdp}, or another relay's. */
    CompletableFuture<String> answer(Call call, Branch branch, String sdp) {
        return rescued(call, branch, call.calleeRelayTag, sdp,
                (relay, flags, why) -> failover.answerElsewhere(call, relay, sdp, branch.flow, flags, why));
    }

    /**
     * The callee's early answer (a 18x's SDP) to the call's relay, noted on the call: a move to
     * another relay while it rings gives it to that relay too ({@link EarlyMediaMove}). Rescued as an
     * answer is: a relay that cannot take it has the call moved to another relay, whose SDP the
     * caller's 18x names, so early media survives a relay dying in the seconds before it is found dead.
     *
     * @param reliable whether the 18x came with 100rel ({@link EarlyUpdateChoice})
     */
    CompletableFuture<String> early(Call call, Branch branch, String toTag, String sdp, boolean reliable) {
        synchronized (call) {
            call.earlyAnswer = new EarlyAnswer(branch, toTag, sdp, reliable);
        }
        return rescued(call, branch, toTag, sdp,
                (relay, flags, why) -> failover.earlyElsewhere(call, relay, sdp, toTag, branch.flow, flags, why));
    }

    /** Where an answer goes when the call's relay cannot take it: {@code why} in words. */
    private interface Elsewhere {
        CompletableFuture<String> answer(Relay failed, NgFlags calleeFlags, String why);
    }

    /** {@code sdp} given to the call's relay as the answer from {@code toTag}, or {@code elsewhere}. */
    private CompletableFuture<String> rescued(Call call, Branch branch, String toTag, String sdp, Elsewhere elsewhere) {
        MediaSession session = call.media;
        Relay relay = session.relay();
        NgFlags flags = call.calleeFlags(branch.flow, branch.nat.behindNat());
        boolean movable = failover.canMove(call, relay);
        if (!relay.up() && movable) {
            return elsewhere.answer(relay, flags, "relay " + relay.name() + " is down");
        }
        CompletableFuture<String> pending = session.answer(sdp, call.inviteFromTag(), toTag, branch.flow, flags);
        // With no other relay up, the call's relay, even marked down, is its only chance: a relay whose
        // replies were only starved of CPU for a moment answers, so its own ng timeout decides.
        return (movable ? relay.untilDown(pending) : pending)
                .exceptionallyComposeAsync(error -> elsewhere.answer(relay, flags, describe(error)), callbacks);
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
