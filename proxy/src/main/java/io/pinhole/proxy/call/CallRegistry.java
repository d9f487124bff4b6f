package io.pinhole.proxy.call;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pairs the two dialogs of every call, and client transactions with what they belong to.
 * The only code that touches JAIN-SIP application data of dialogs and client transactions,
 * and it removes both sides of a call together.
 */
final class CallRegistry {

    /** What a dialog is to us: one side of a call. */
    record DialogSide(Call call, Side side) {
    }

    /** A request we forwarded inside a dialog, waiting for the peer's answer. */
    record Forward(Call call, Side from, javax.sip.ServerTransaction origin, javax.sip.message.Request request) {
    }

    private final ConcurrentHashMap<String, Call> byInvite = new ConcurrentHashMap<>();

    /** The key a CANCEL shares with its INVITE: Call-ID and top Via branch. */
    static String inviteKey(String callId, String branch) {
        return callId + "|" + branch;
    }

    void add(Call call) {
        byInvite.put(call.inviteKey, call);
        call.callerDialog.setApplicationData(new DialogSide(call, Side.CALLER));
    }

    Optional<Call> byInvite(String inviteKey) {
        return Optional.ofNullable(byInvite.get(inviteKey));
    }

    void addBranch(Call call, Branch branch) {
        branch.transaction.setApplicationData(branch);
        branch.dialog.setApplicationData(new DialogSide(call, Side.CALLEE));
    }

    void addForward(ClientTransaction transaction, Forward forward) {
        transaction.setApplicationData(forward);
    }

    Optional<DialogSide> sideOf(Dialog dialog) {
        return dialog != null && dialog.getApplicationData() instanceof DialogSide side
                ? Optional.of(side) : Optional.empty();
    }

    Optional<Object> ownerOf(ClientTransaction transaction) {
        return transaction == null ? Optional.empty() : Optional.ofNullable(transaction.getApplicationData());
    }

    /** Forgets the call and unlinks both dialogs and every branch. */
    void remove(Call call) {
        byInvite.remove(call.inviteKey, call);
        call.callerDialog.setApplicationData(null);
        for (Branch branch : call.branches) {
            branch.dialog.setApplicationData(null);
            branch.transaction.setApplicationData(null);
        }
    }

    /** The calls in progress, a live view: what periodic checks walk. */
    Collection<Call> calls() {
        return Collections.unmodifiableCollection(byInvite.values());
    }

    int active() {
        return byInvite.size();
    }
}
