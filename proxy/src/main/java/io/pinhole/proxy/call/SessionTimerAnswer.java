package io.pinhole.proxy.call;

import io.pinhole.proxy.session.AnswerVerdict;
import io.pinhole.proxy.session.SessionTimerHeaders;
import io.pinhole.proxy.session.SessionTimerPolicy;

import javax.sip.message.Response;

/** RFC 4028 in the caller's 2xx: the interval and refresher agreed on, and the timer we enforce. */
final class SessionTimerAnswer {

    private final SessionTimerPolicy timers;
    private final SessionTimerHeaders headers;

    SessionTimerAnswer(SessionTimerPolicy timers, SessionTimerHeaders headers) {
        this.timers = timers;
        this.headers = headers;
    }

    /** Writes the agreement into {@code out} (our 2xx to the caller) and returns it; NONE with timers off. */
    AnswerVerdict agree(Call call, Response received, Response out) {
        if (!timers.enabled()) {
            return AnswerVerdict.NONE;
        }
        AnswerVerdict session = timers.onAnswer(SessionTimerHeaders.read(call.inviteRequest),
                SessionTimerHeaders.sessionExpires(received));
        headers.addSupportedTimer(out);
        if (session.toCaller() != null) {
            headers.setSessionExpires(out, session.toCaller());
        }
        if (session.requireTimer()) {
            headers.addRequireTimer(out);
        }
        return session;
    }
}
