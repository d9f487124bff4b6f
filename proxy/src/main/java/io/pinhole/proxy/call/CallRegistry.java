package io.pinhole.proxy.call;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.sip.DialogFlow;
import io.pinhole.proxy.sip.Flow;
import io.pinhole.proxy.relay.Relay;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import java.util.Collection;
import java.util.Collections;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pairs the two dialogs of every call, and client transactions with what they belong to.
 * The only code that touches JAIN-SIP application data of dialogs and client transactions,
 * and it removes both sides of a call together.
 */
public final class CallRegistry {

    /**
     * A live call as the admin API shows it, read under the call's lock.
     *
     * @param state  {@code ROUTING} (looking for the callee), {@code EARLY} (ringing), {@code ANSWERED}
     * @param relay  the relay carrying its media, or null when the media goes directly
     * @param callee the answering leg, or null before the call is answered
     */
    public record LiveCall(String callId, String caller, String callee, String state, Instant startedAt,
                           Instant answeredAt, String mediaPath, Relay relay, LiveLeg callerLeg, LiveLeg calleeLeg) {
    }

    /** One leg of a live call: the flow we reach it on and the NAT verdict for it. */
    public record LiveLeg(Flow flow, NatVerdict nat) {
    }

    /** What a dialog is to us: one side of a call. */
    record DialogSide(Call call, Side side, Flow flow) implements DialogFlow {
    }

    /** A request we forwarded inside a dialog, waiting for the peer's answer. */
    record Forward(Call call, Side from, javax.sip.ServerTransaction origin, javax.sip.message.Request request) {
    }

    private final ConcurrentHashMap<String, Call> byInvite = new ConcurrentHashMap<>();
    private final LegListener legs;

    public CallRegistry() {
        this(LegListener.NONE);
    }

    /** @param legs told of each leg towards a callee (its own Call-ID): the capture joins it to the call */
    public CallRegistry(LegListener legs) {
        this.legs = legs;
    }

    /** The key a CANCEL shares with its INVITE: Call-ID and top Via branch. */
    static String inviteKey(String callId, String branch) {
        return callId + "|" + branch;
    }

    void add(Call call) {
        byInvite.put(call.inviteKey, call);
        call.callerDialog.setApplicationData(new DialogSide(call, Side.CALLER, call.callerFlow));
    }

    Optional<Call> byInvite(String inviteKey) {
        return Optional.ofNullable(byInvite.get(inviteKey));
    }

    void addBranch(Call call, Branch branch) {
        branch.transaction().setApplicationData(branch);
        branch.dialog.setApplicationData(new DialogSide(call, Side.CALLEE, branch.flow));
        legs.legAdded(call.callerCallId, branch.dialog.getCallId().getCallId());
    }

    void addForward(ClientTransaction transaction, Forward forward) {
        transaction.setApplicationData(forward);
    }

    /** A request of our own inside a call (a punch re-INVITE): its answers go to {@code listener}. */
    void addListener(ClientTransaction transaction, io.pinhole.proxy.sip.ResponseListener listener) {
        transaction.setApplicationData(listener);
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
        List<Branch> branches;
        synchronized (call) { // Call.settle() may be trimming the list on another thread
            branches = List.copyOf(call.branches);
        }
        for (Branch branch : branches) {
            branch.dialog.setApplicationData(null);
            ClientTransaction transaction = branch.transaction();
            if (transaction != null) {
                transaction.setApplicationData(null);
            }
        }
    }

    /**
     * An ACK came on {@code dialog}: when it is the caller's ACK of our 2xx, the call is
     * established and both legs let go of their set-up state -- our records of it
     * ({@link Call#settle()}) and the callee dialog's copies of its first transaction, which the RI
     * releases by itself only for the caller's (server) dialog; then both dialogs drop their
     * duplicate strings and the last Via's parameters ({@code DialogSlimming}). A call keeps its legs' dialogs,
     * tags, flows and last SDPs: what re-INVITEs, BYEs, session refreshes and punch moves need.
     */
    void acked(Dialog dialog) {
        Optional<DialogSide> side = sideOf(dialog);
        if (side.isEmpty() || side.get().side() != Side.CALLER) {
            return;
        }
        Branch winner = side.get().call().settle();
        if (winner != null) {
            gov.nist.javax.sip.stack.DialogRelease.afterAck(winner.dialog);
            gov.nist.javax.sip.stack.DialogSlimming.afterAck(winner.dialog);
            gov.nist.javax.sip.stack.DialogSlimming.afterAck(dialog);
        }
    }

    /** The calls in progress, a live view: what periodic checks walk. */
    Collection<Call> calls() {
        return Collections.unmodifiableCollection(byInvite.values());
    }

    int active() {
        return byInvite.size();
    }

    /** Every call not yet ended, oldest first. */
    public List<LiveCall> live() {
        return byInvite.values().stream().map(CallRegistry::snapshot).flatMap(Optional::stream)
                .sorted(Comparator.comparing(LiveCall::startedAt).thenComparing(LiveCall::callId)).toList();
    }

    /** The live calls whose caller leg has this Call-ID (one, unless a caller reused it on another branch). */
    public List<LiveCall> live(String callId) {
        return withCallId(callId).stream().map(CallRegistry::snapshot).flatMap(Optional::stream).toList();
    }

    List<Call> withCallId(String callId) {
        return byInvite.values().stream().filter(c -> c.callerCallId.equals(callId)).toList();
    }

    private static Optional<LiveCall> snapshot(Call call) {
        synchronized (call) {
            if (call.state == Call.State.ENDED) {
                return Optional.empty();
            }
            Relay relay = call.media == null ? null : call.media.relay();
            LiveLeg callee = call.winner == null ? null : new LiveLeg(call.winner.flow, call.winner.nat);
            return Optional.of(new LiveCall(call.callerCallId, call.caller, call.callee, call.state.name(),
                    call.startedAt, call.answeredAt, call.mediaPath.name(), relay,
                    new LiveLeg(call.callerFlow, call.callerNat), callee));
        }
    }
}
