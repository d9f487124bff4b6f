package io.pinhole.proxy.session;

/** What the B2BUA does with a caller's INVITE, as far as session timers go. */
public sealed interface InviteVerdict {

    /** Session timers are switched off here: nothing added, nothing enforced. */
    record Off() implements InviteVerdict {
    }

    /** 422 Session Interval Too Small, with this Min-SE (RFC 4028 §6). */
    record TooSmall(int minSe) implements InviteVerdict {
    }

    /** Forward the call with this Session-Expires and Min-SE towards the callee. */
    record Forward(SessionExpires towardsCallee, int minSe) implements InviteVerdict {
    }
}
