package io.pinhole.proxy.call;

/**
 * The callee's early answer (SDP in a 18x) as the call's relay was given it: the fork, its To tag,
 * the SDP, and whether the 18x came reliably (100rel; see {@link EarlyUpdateChoice}). Kept on the
 * {@link Call} so that a call moved to another relay while it rings can have its early media flow
 * again there ({@link EarlyMediaMove}).
 */
record EarlyAnswer(Branch branch, String toTag, String sdp, boolean reliable) {
}
