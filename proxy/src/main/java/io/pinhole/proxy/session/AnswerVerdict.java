package io.pinhole.proxy.session;

/**
 * What goes into the 2xx for the caller, and what the B2BUA enforces afterwards.
 *
 * @param toCaller     the Session-Expires for the caller's 2xx, or null for none
 * @param requireTimer whether the 2xx carries {@code Require: timer} (the caller must refresh)
 * @param timer        the timer the B2BUA enforces, or null when nobody could refresh
 */
public record AnswerVerdict(SessionExpires toCaller, boolean requireTimer, SessionTimer timer) {

    public static final AnswerVerdict NONE = new AnswerVerdict(null, false, null);
}
