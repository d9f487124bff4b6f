package io.pinhole.proxy.call;

/** What a response on a fork is, by its status: which part of {@link BranchResponses} takes it. */
enum ResponseKind {
    /** 100: the hop is alive, nothing goes to the caller (a proxy's 100 is hop by hop). */
    TRYING,
    /** 101–199: relayed to the caller while no fork has answered. */
    PROVISIONAL,
    /** 2xx: the first one wins the call. */
    ANSWER,
    /** 3xx–6xx: the fork has failed. */
    FAILURE;

    static ResponseKind of(int status) {
        if (status == 100) {
            return TRYING;
        }
        if (status < 200) {
            return PROVISIONAL;
        }
        return status < 300 ? ANSWER : FAILURE;
    }
}
