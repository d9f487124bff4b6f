package io.pinhole.proxy.call;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.sip.Flow;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;

/** One forked INVITE towards one binding of the callee. Guarded by its call's lock. */
final class Branch {

    final Call call;
    /**
     * Our INVITE's transaction; null once the call this fork won is established ({@link Call#settle()}):
     * read it through {@link #transaction()} after the answer.
     */
    private volatile ClientTransaction transaction;
    final Dialog dialog;
    final Flow flow;
    final NatVerdict nat;
    boolean provisional;
    /** Any response came, a 100 Trying too: the hop is alive (no DNS failover away from it). */
    boolean heard;
    boolean done;
    /** To be cancelled, but no provisional response yet: RFC 3261 §9.1 sends the CANCEL after the first. */
    boolean cancelPending;
    /** This fork already answered a trunk's challenge once: a second challenge is a failure. */
    boolean authenticated;
    /** One of its 18x listed UPDATE in Allow: an UPDATE in its early dialog is welcome ({@link EarlyUpdateChoice}). */
    boolean allowsUpdate;

    Branch(Call call, ClientTransaction transaction, Dialog dialog, Flow flow, NatVerdict nat) {
        this.call = call;
        this.transaction = transaction;
        this.dialog = dialog;
        this.flow = flow;
        this.nat = nat;
    }

    /** Our INVITE's client transaction, or null once the call this fork won is established. */
    ClientTransaction transaction() {
        return transaction;
    }

    /** Lets go of the client transaction: it ended with the 2xx, and its dialog carries the call. */
    void releaseTransaction() {
        transaction = null;
    }
}
