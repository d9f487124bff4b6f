package io.pinhole.proxy.call;

/**
 * What a fork's provisional response leads to (pure; {@link EarlyResponses} acts on it).
 *
 * @param cancelNow the fork was to be cancelled and this is its first provisional response: RFC 3261
 *                  §9.1 lets the CANCEL go only now
 * @param forward   the caller hears it: the call is still ringing, no fork has answered and this one
 *                  is not being cancelled
 */
record EarlyVerdict(boolean cancelNow, boolean forward) {

    static EarlyVerdict of(boolean cancelPending, boolean hadProvisional, Call.State state, boolean winnerChosen) {
        return new EarlyVerdict(cancelPending && !hadProvisional,
                state != Call.State.ENDED && !winnerChosen && !cancelPending);
    }
}
