package io.pinhole.proxy.call;

import javax.sip.message.Response;

/**
 * Responses and timeouts on the callee leg's forked INVITEs, handed on by kind
 * ({@link ResponseKind}): provisionals to {@link EarlyResponses}, 2xx to {@link ForkAnswers},
 * failures and timeouts to {@link ForkFailures}.
 */
final class BranchResponses {

    private final EarlyResponses early;
    private final ForkAnswers answers;
    private final ForkFailures failures;

    BranchResponses(EarlyResponses early, ForkAnswers answers, ForkFailures failures) {
        this.early = early;
        this.answers = answers;
        this.failures = failures;
    }

    void onResponse(Branch branch, Response response) {
        synchronized (branch.call) {
            branch.heard = true;
        }
        switch (ResponseKind.of(response.getStatusCode())) {
            case TRYING -> {
            }
            case PROVISIONAL -> early.onProvisional(branch, response);
            case ANSWER -> answers.onAnswer(branch, response);
            case FAILURE -> failures.onFailure(branch, response);
        }
    }

    void onTimeout(Branch branch) {
        failures.onTimeout(branch);
    }
}
