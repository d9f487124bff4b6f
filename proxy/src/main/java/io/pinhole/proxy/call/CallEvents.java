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
    private final ForwardResponses forwards;

    CallEvents(CallRegistry registry, InDialogHandler inDialog, BranchResponses branches, ForwardResponses forwards) {
        this.registry = registry;
        this.inDialog = inDialog;
        this.branches = branches;
        this.forwards = forwards;
    }

    @Override
    public void request(IncomingRequest in, Dialog dialog) {
        inDialog.handle(in, dialog);
    }

    @Override
    public void ack(RequestEvent event) {
        // Each leg's 2xx is ACKed by us as soon as it arrives; the other side's ACK ends here.
    }

    @Override
    public void response(ResponseEvent event) {
        ClientTransaction transaction = event.getClientTransaction();
        Object owner = registry.ownerOf(transaction).orElse(null);
        if (owner instanceof Branch branch) {
            branches.onResponse(branch, event.getResponse());
        } else if (owner instanceof CallRegistry.Forward forward) {
            forwards.onResponse(forward, event.getResponse());
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
        }
    }
}
