package io.pinhole.proxy.call;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The callee's SDP as the caller gets it: given to the call's relay as the ng answer and rewritten
 * there towards the caller; as the callee sent it when the call has no relay. Each step waits for
 * the call's earlier ones ({@link Call#inOrder}), so the caller hears the callee's responses in the
 * order they came even when each waits for its own relay answer.
 */
final class RelayAnswer {

    private RelayAnswer() {
    }

    /**
     * @param sdp       the callee's SDP on {@code branch}, or null
     * @param calleeTag the To tag of the callee's response: the relay's name for the callee's side
     * @param then      gets the SDP for the caller (null when there is none)
     * @param refused   gets the relay's error instead
     */
    static void inOrder(Call call, Branch branch, String sdp, String calleeTag, Consumer<String> then,
                        Consumer<Throwable> refused) {
        call.inOrder(() -> {
            if (sdp != null && call.media != null) {
                return call.media.answer(sdp, call.inviteFromTag(), calleeTag, branch.flow,
                                call.calleeFlags(branch.flow, branch.nat.behindNat()))
                        .handle((rewritten, error) -> {
                            if (error == null) {
                                then.accept(call.towards(Side.CALLER, rewritten, null));
                            } else {
                                refused.accept(error);
                            }
                            return null;
                        });
            }
            then.accept(sdp);
            return CompletableFuture.completedFuture(null);
        });
    }
}
