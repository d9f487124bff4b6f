package io.pinhole.proxy.sip;

import io.pinhole.sip.ReleasableServerTransaction;

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
 * <p>A non-INVITE transaction whose request came with an RFC 3261 branch also lets go of its
 * request at the final response without keeping a copy ({@link RequestRelease}): under the
 * stack's {@code Normal} strategy the RI encoded every finished request and parsed it again at
 * Timer J only to drop it (30 % of the proxy's samples at 1,500 registrations/s). Nothing in the
 * proxy reads a server transaction's request after its final response ({@link ServerResponses}
 * and {@link Responder} read the response). The RI matches a request without an RFC 3261 branch
 * (RFC 2543 phones, RFC 4475's {@code inv2543}) by asking every server transaction, and each
 * reads its request: a released one threw a NullPointerException there and the request was
 * dropped unanswered. {@link ReleasableServerTransaction} answers "not mine" without reading when
 * its own request had an RFC 3261 branch (the top Vias could never be equal), so only such
 * transactions are released, and only when the stack made them ({@code PinholeSipStack}); one of
 * an RFC 2543 request keeps its request, for its retransmissions, its CANCEL and its ACK are
 * matched by reading it. {@code Rfc4475IT} and {@code NonInviteRetransmissionIT} check both.
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
        if (transaction instanceof ReleasableServerTransaction releasable && releasable.mayReleaseRequest()) {
            RequestRelease.atFinalResponse(transaction);
        }
        try {
            transaction.setRetransmitTimer(tickMillis);
        } catch (IllegalStateException alreadyAnswered) {
            // a response went out already: it keeps the standard linger
        }
    }
}
