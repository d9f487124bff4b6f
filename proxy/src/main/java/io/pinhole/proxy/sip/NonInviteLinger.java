package io.pinhole.proxy.sip;

import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import java.time.Duration;

/**
 * How long a non-INVITE server transaction (BYE, REGISTER, ...) stays after its final response
 * to answer retransmissions of the request: RFC 3261's Timer J, 64 × T1 = 32 s over UDP.
 * Kamailio keeps such a transaction 5 s (tm's wait timer). At 450 calls/s the 32 s kept some
 * 11,000 finished BYE transactions (18 MB) alive, copied by young collections until promoted. A BYE
 * repeated after the linger is no longer answered 200: the stack drops it while the ended dialog
 * lingers, and the proxy answers 481 after that.
 *
 * <p>The RI counts Timer J in ticks of the transaction's own T1, which a non-INVITE server
 * transaction uses for nothing else (it never retransmits), so scaling T1 sets Timer J. The
 * INVITE server transaction keeps the standard T1: it retransmits final responses with it.
 *
 * <p>Server transactions keep the stack's release strategy, though the RI then parses each
 * finished request a second time at Timer J only to drop it (30 % of the proxy's samples at 1,500
 * registrations/s): under the {@code Aggressive} strategy ({@link RequestRelease}) a lingering
 * transaction has no request left, and the RI matches a request whose top Via carries no RFC 3261
 * branch (RFC 2543 phones, RFC 4475's {@code inv2543}) by walking every server transaction and
 * reading each one's request: a null there is a NullPointerException inside the stack, and the
 * request is dropped unanswered for as long as any released transaction lingers, which under load
 * is always. {@code Rfc4475IT} caught it; {@code NonInviteRetransmissionIT} checks it after a
 * REGISTER and an OPTIONS.
 */
public final class NonInviteLinger {

    /** Timer J in ticks of T1 (RFC 3261 §17.2.2, and the RI's SIPTransaction.TIMER_J). */
    private static final int TIMER_J_TICKS = 64;

    private final int tickMillis;

    public NonInviteLinger(Duration linger) {
        this.tickMillis = tickMillis(linger);
    }

    /** The T1 that makes Timer J last {@code linger}, never below 1 ms. */
    static int tickMillis(Duration linger) {
        return (int) Math.max(1, Math.min(500, linger.toMillis() / TIMER_J_TICKS));
    }

    /** Call before the transaction's first response: once its timer runs, T1 is fixed. */
    public void apply(ServerTransaction transaction) {
        String method = transaction.getRequest().getMethod();
        if (Request.INVITE.equals(method)) {
            return;
        }
        try {
            transaction.setRetransmitTimer(tickMillis);
        } catch (IllegalStateException alreadyAnswered) {
            // a response went out already: it keeps the standard linger
        }
    }
}
