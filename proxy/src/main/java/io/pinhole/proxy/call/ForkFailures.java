package io.pinhole.proxy.call;

import javax.sip.message.Response;

/**
 * A fork's final failure or timeout: a trunk's first challenge is answered with its credentials
 * ({@link TrunkAuthenticator}, the same fork again); anything else goes to the {@link Forker},
 * which moves the leg on.
 */
final class ForkFailures {

    private final TrunkAuthenticator trunks;
    private final Forker forker;

    ForkFailures(TrunkAuthenticator trunks, Forker forker) {
        this.trunks = trunks;
        this.forker = forker;
    }

    /** Whether a failure is a challenge to answer: a 401/407 to a fork not yet authenticated, the call not over. */
    static boolean answersChallenge(int status, boolean authenticated, boolean callEnded) {
        return (status == 401 || status == 407) && !authenticated && !callEnded;
    }

    void onFailure(Branch branch, Response response) {
        if (answersChallenge(response.getStatusCode(), branch.authenticated, branch.call.ended())
                && trunks.answer(branch, response)) {
            return; // the same fork again, now with the trunk's credentials
        }
        forker.failed(branch, response);
    }

    /** Timer B on a fork: the forker takes it as a 408 from that fork. */
    void onTimeout(Branch branch) {
        forker.timedOut(branch);
    }
}
