package io.pinhole.proxy.call;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
     * @param sdp     the callee's SDP, or null
     * @param relay   asks the relay for its rewrite of {@code sdp} ({@link AnswerRescue})
     * @param then    gets the SDP for the caller (null when there is none)
     * @param refused gets the relay's error instead
     */
    static void inOrder(Call call, String sdp, Supplier<CompletableFuture<String>> relay, Consumer<String> then,
                        Consumer<Throwable> refused) {
        call.inOrder(() -> {
            if (sdp != null && call.media != null) {
                return relay.get()
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
