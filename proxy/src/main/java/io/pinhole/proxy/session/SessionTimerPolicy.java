package io.pinhole.proxy.session;

import java.time.Clock;
import java.time.Duration;

/**
 * The B2BUA's session-timer decisions (RFC 4028), pure apart from reading the clock. The proxy
 * does not refresh sessions itself: it passes the caller's wishes on to the callee as a proxy
 * would (§8), answers the caller as its UAS (§9, table 2), relays the refreshes both ways, and
 * hangs up a call that no side refreshed in time (§10).
 *
 * <ul>
 * <li>INVITE: a caller that supports timers and asks for less than {@code min-se} gets 422 with
 *     our Min-SE (§6, §8.1). Otherwise the interval is the caller's (none: {@code session-expires}),
 *     lowered to {@code session-expires}, never below the larger Min-SE. A caller without timer
 *     support cannot refresh, so the callee is told {@code refresher=uas}.</li>
 * <li>2xx: the callee's Session-Expires goes to the caller unchanged (the roles mean the same on
 *     both legs); when the callee has none but the caller supports timers, the caller is made the
 *     refresher ({@code refresher=uac} and {@code Require: timer}). When neither side supports
 *     timers nobody could refresh, and nothing is enforced.</li>
 * <li>Any 2xx to a re-INVITE or UPDATE is a refresh; the call is hung up {@code min(32 s, I/3)}
 *     before the interval I runs out since the last one, as §10 tells the side that does not
 *     refresh: a refresher that keeps the RFC (refresh at I/2) is never cut off, and our BYE goes
 *     before the endpoints' own.</li>
 * </ul>
 */
public final class SessionTimerPolicy {

    private final int sessionExpires;
    private final int minSe;
    private final Clock clock;

    public SessionTimerPolicy(SessionTimerProperties properties, Clock clock) {
        this.sessionExpires = (int) properties.sessionExpires().getSeconds();
        this.minSe = (int) properties.minSe().getSeconds();
        this.clock = clock;
    }

    public boolean enabled() {
        return sessionExpires > 0;
    }

    public InviteVerdict onInvite(TimerRequest request) {
        if (!enabled()) {
            return new InviteVerdict.Off();
        }
        int floor = Math.max(minSe, request.minSe() == null ? 0 : request.minSe());
        SessionExpires asked = request.sessionExpires();
        if (asked != null && asked.seconds() < minSe && request.supportsTimer()) {
            return new InviteVerdict.TooSmall(minSe);
        }
        // A caller without timer support that still sent a small Session-Expires cannot read a
        // 422 (§8.1): its interval is raised instead, and the callee is told our Min-SE.
        int interval = Math.max(asked == null ? sessionExpires : Math.min(asked.seconds(), sessionExpires), floor);
        Refresher refresher = request.supportsTimer() ? asked == null ? null : asked.refresher() : Refresher.UAS;
        return new InviteVerdict.Forward(new SessionExpires(interval, refresher), floor);
    }

    /** The caller's 2xx and the timer to enforce, from the INVITE and the callee's Session-Expires (or null). */
    public AnswerVerdict onAnswer(TimerRequest request, SessionExpires fromCallee) {
        if (!(onInvite(request) instanceof InviteVerdict.Forward forward)) {
            return AnswerVerdict.NONE;
        }
        if (fromCallee != null) {
            // §9 makes the refresher parameter mandatory in a 2xx; one without it keeps what we asked for.
            Refresher refresher = fromCallee.refresher() != null ? fromCallee.refresher()
                    : forward.towardsCallee().refresher() != null ? forward.towardsCallee().refresher()
                    : request.supportsTimer() ? Refresher.UAC : Refresher.UAS;
            SessionExpires toCaller = request.supportsTimer() ? new SessionExpires(fromCallee.seconds(), refresher) : null;
            return new AnswerVerdict(toCaller, toCaller != null && refresher == Refresher.UAC, timer(fromCallee.seconds()));
        }
        if (request.supportsTimer()) {
            int seconds = forward.towardsCallee().seconds();
            return new AnswerVerdict(new SessionExpires(seconds, Refresher.UAC), true, timer(seconds));
        }
        return AnswerVerdict.NONE;
    }

    /**
     * The timer after a refresh was answered 2xx: the interval the answer names, else the
     * request's, else the one in force.
     */
    public SessionTimer onRefresh(SessionTimer current, SessionExpires inRequest, SessionExpires inResponse) {
        int seconds = inResponse != null ? inResponse.seconds() : inRequest != null ? inRequest.seconds() : current.seconds();
        return timer(seconds);
    }

    /** Whether the call is due to be hung up. */
    public boolean expired(SessionTimer timer) {
        return !clock.instant().isBefore(timer.byeAt());
    }

    private SessionTimer timer(int seconds) {
        return new SessionTimer(seconds, clock.instant().plus(byeAfter(seconds)));
    }

    /** §10: the side that does not refresh sends BYE min(32 s, I/3) before the session expires. */
    static Duration byeAfter(int seconds) {
        long millis = seconds * 1000L;
        return Duration.ofMillis(millis - Math.min(32_000L, millis / 3));
    }
}
