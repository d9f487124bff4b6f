package io.pinhole.proxy.call;

import java.util.ArrayList;
import java.util.List;

/**
 * Which fork's 2xx wins the call (pure; {@link ForkAnswers} acts on the verdict): the first one,
 * while the call is not over. The forks still open then lose and are cancelled; a later 2xx loses
 * and is hung up.
 */
final class WinnerElection {

    /**
     * @param won    this fork's 2xx connects the call
     * @param losers the other forks not done yet, to be cancelled; empty when this one did not win
     */
    record Election(boolean won, List<Branch> losers) {
    }

    private WinnerElection() {
    }

    /**
     * @param answering the fork whose 2xx came
     * @param state     the call's state now
     * @param winner    the fork that won earlier, or null
     * @param branches  every fork of the call, {@code answering} among them; those {@link Branch#done} are
     *                  over already (answered, failed or cancelled)
     */
    static Election elect(Branch answering, Call.State state, Branch winner, List<Branch> branches) {
        if (winner != null || state == Call.State.ENDED) {
            return new Election(false, List.of());
        }
        List<Branch> losers = new ArrayList<>();
        for (Branch other : branches) {
            if (other != answering && !other.done) {
                losers.add(other);
            }
        }
        return new Election(true, List.copyOf(losers));
    }
}
