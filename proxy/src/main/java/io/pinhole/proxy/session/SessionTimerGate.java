package io.pinhole.proxy.session;

import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.NewRequest;
import io.pinhole.proxy.sip.RequestHandler;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers 422 Session Interval Too Small (with our Min-SE) to an INVITE whose Session-Expires is
 * below {@code pinhole.calls.min-se}, before the INVITE handler spends a relay offer or a fork on
 * it; every other INVITE goes on to that handler unchanged. A wrapper rather than a step inside
 * the handler: the check needs nothing the handler knows.
 */
public final class SessionTimerGate implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SessionTimerGate.class);

    private final RequestHandler invites;
    private final SessionTimerPolicy policy;
    private final SessionTimerHeaders headers;
    private final Responder responder;
    private final SipMetrics metrics;

    public SessionTimerGate(RequestHandler invites, SessionTimerPolicy policy, SessionTimerHeaders headers,
                            Responder responder, SipMetrics metrics) {
        this.invites = invites;
        this.policy = policy;
        this.headers = headers;
        this.responder = responder;
        this.metrics = metrics;
    }

    @Override
    public String method() {
        return invites.method();
    }

    @Override
    public boolean answeredStatelessly(NewRequest request) {
        return invites.answeredStatelessly(request);
    }

    @Override
    public void handle(IncomingRequest in) {
        TimerRequest asked = SessionTimerHeaders.read(in.request());
        if (policy.onInvite(asked) instanceof InviteVerdict.TooSmall tooSmall) {
            LOG.info("INVITE {} from {}:{} rejected: Session-Expires {} below Min-SE {}", in.callId(),
                    in.flow().address(), in.flow().port(), asked.sessionExpires().seconds(), tooSmall.minSe());
            metrics.callRejected("422");
            responder.reply(in, 422, "Session Interval Too Small", r -> headers.setMinSe(r, tooSmall.minSe()));
            return;
        }
        invites.handle(in);
    }
}
