package io.pinhole.proxy.call;

import io.pinhole.proxy.auth.AuthOutcome;
import io.pinhole.proxy.auth.Challenges;
import io.pinhole.proxy.auth.DigestAuthenticator;
import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.NewRequest;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Request;

/** Digest authentication of a local caller's INVITE (RFC 3261 §22.3, as a proxy: 407). */
final class CallerAuth {

    private static final Logger LOG = LoggerFactory.getLogger(CallerAuth.class);

    private final DigestAuthenticator authenticator;
    private final Challenges challenges;
    private final Responder responder;
    private final SipMetrics metrics;

    CallerAuth(DigestAuthenticator authenticator, Challenges challenges, Responder responder, SipMetrics metrics) {
        this.authenticator = authenticator;
        this.challenges = challenges;
        this.responder = responder;
        this.metrics = metrics;
    }

    /** The nonce the INVITE answers for {@code domain}, or null when it carries no credentials for it. */
    static String nonceOf(Request invite, String domain) {
        return Challenges.nonceOf(invite, domain, true);
    }

    /** Whether {@code nonce} is one of ours and still fresh (its MAC checked: not free). */
    boolean issuedFresh(String nonce) {
        return authenticator.issuedFresh(nonce);
    }

    /** The 407 to an INVITE without credentials yet, without a transaction. */
    void challengeStatelessly(NewRequest in, String domain) {
        responder.replyStatelessly(in, 407, "Proxy Authentication Required", r -> challenges.challenge(r, in.request(),
                domain, authenticator.issueNonce(), false, true));
    }

    /** True when the caller proved it is {@code user}; else it has been answered 407 or 403. */
    boolean authorized(IncomingRequest in, String domain, String user) {
        AuthOutcome outcome = authenticator.authenticate(Request.INVITE, domain, user, in.flow().address(),
                Challenges.credentials(in.request(), true));
        if (outcome instanceof AuthOutcome.Authorized) {
            return true;
        }
        if (outcome instanceof AuthOutcome.Challenge challenge) {
            if (!challenge.cause().startsWith("no credentials")) {
                metrics.authFailure(challenge.stale() ? "stale" : "challenge");
            }
            responder.reply(in, 407, "Proxy Authentication Required", r -> challenges.challenge(r, in.request(), domain,
                    authenticator.issueNonce(), challenge.stale(), true));
        } else if (outcome instanceof AuthOutcome.Forbidden forbidden) {
            metrics.authFailure("forbidden");
            LOG.info("INVITE from {}@{} ({}:{}) refused: {} (Call-ID {})", user, domain, in.flow().address(),
                    in.flow().port(), forbidden.reason(), in.callId());
            responder.reply(in, 403, forbidden.reason());
        }
        return false;
    }
}
