package io.pinhole.proxy.call;

import io.pinhole.proxy.sip.DialogEvents;
import io.pinhole.proxy.sip.IncomingRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;

/** Routes dialog traffic to whoever owns it: a fork, a forwarded request, or a call's dialog. */
public final class CallEvents implements DialogEvents {

    private static final Logger LOG = LoggerFactory.getLogger(CallEvents.class);

    private final CallRegistry registry;
    private final InDialogHandler inDialog;
    private final BranchResponses branches;
    private final ForkHangups hangups;
    private final ForwardResponses forwards;
    private final CallTerminator terminator;

    CallEvents(CallRegistry registry, InDialogHandler inDialog, BranchResponses branches, ForkHangups hangups,
               ForwardResponses forwards, CallTerminator terminator) {
        this.terminator = terminator;
        this.registry = registry;
        this.inDialog = inDialog;
        this.branches = branches;
        this.hangups = hangups;
        this.forwards = forwards;
    }

    @Override
    public void request(IncomingRequest in, Dialog dialog) {
        inDialog.handle(in, dialog);
    }

    @Override
    public void ack(RequestEvent event) {
        // Each leg's 2xx is ACKed by us as soon as it arrives; the other side's ACK ends here,
        // and the caller's first one marks the call established.
        registry.acked(event.getDialog());
    }

    @Override
    public void response(ResponseEvent event) {
        ClientTransaction transaction = event.getClientTransaction();
        Object owner = registry.ownerOf(transaction).orElse(null);
        if (owner instanceof Branch branch) {
            branches.onResponse(branch, event.getResponse());
        } else if (owner instanceof CallRegistry.Forward forward) {
            forwards.onResponse(forward, event.getResponse());
        } else if (owner instanceof io.pinhole.proxy.sip.ResponseListener listener) {
            listener.onResponse(event.getResponse());
        } else if (transaction == null && event.getDialog() != null) {
            LOG.debug("stray {} on a dialog", event.getResponse().getStatusCode());
        }
    }

    @Override
    public void timeout(TimeoutEvent event) {
        Object owner = registry.ownerOf(event.getClientTransaction()).orElse(null);
        if (owner instanceof Branch branch) {
            branches.onTimeout(branch);
        } else if (owner instanceof CallRegistry.Forward forward) {
            forwards.onTimeout(forward);
        } else if (owner instanceof io.pinhole.proxy.sip.ResponseListener listener) {
            listener.onTimeout();
        }
    }

    @Override
    public void dialogTerminated(Dialog dialog) {
        // Early dialogs end with every failed fork and every error we answer; those paths end
        // the call themselves. Only an established call whose dialog dies without BYE (a 2xx
        // never ACKed, say) is ended here: hang up the other leg and free the relay.
        registry.sideOf(dialog).ifPresent(side -> {
            Call call = side.call();
            boolean established;
            synchronized (call) {
                established = call.state == Call.State.ANSWERED
                        && (side.side() == Side.CALLER || call.winner != null && call.winner.dialog == dialog);
            }
            if (!established) {
                return;
            }
            Leg peer = call.leg(side.side().other());
            if (peer != null) {
                hangups.byeLeg(call, peer);
            }
            if (terminator.end(call, "failed", 408)) {
                LOG.info("call {}: the {} dialog ended without BYE ({})", call.callerCallId, side.side(),
                        lastExchange(dialog));
            }
        });
    }

    /**
     * What the stack last did on a dialog that it ended by itself: the clue to why. It found the
     * ACK that the stack sent again by itself to a phone's private Contact ({@code FlowRouter}),
     * which ended a few calls in 1,000 of issue 16's bench under load.
     */
    static String lastExchange(Dialog dialog) {
        if (!(dialog instanceof gov.nist.javax.sip.stack.SIPDialog d)) {
            return "no RI dialog";
        }
        var ack = d.getLastAckSentCSeq();
        var last = d.getLastTransaction();
        return "local CSeq " + d.getLocalSeqNumber() + ", remote CSeq " + d.getRemoteSeqNumber()
                + ", last response " + d.getLastResponseStatusCode() + " to " + d.getLastResponseMethod() + " "
                + d.getLastResponseCSeqNumber() + ", last ACK sent " + (ack == null ? "none" : ack.getSeqNumber())
                + ", last transaction " + (last == null ? "none" : last.getMethod() + " " + last.getState()
                + (last.isServerTransaction() ? " (server)" : " (client)"));
    }
}
