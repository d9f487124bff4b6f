package io.pinhole.proxy.call;

import io.pinhole.proxy.sip.FlowRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends forks of the callee leg: a CANCEL for one still ringing (held back until its first
 * provisional response, RFC 3261 §9.1), a BYE for one that answered too late or whose peer's
 * dialog died.
 */
final class ForkHangups {

    private static final Logger LOG = LoggerFactory.getLogger(ForkHangups.class);

    private final CallMessages messages;

    ForkHangups(CallMessages messages) {
        this.messages = messages;
    }

    /** Cancels every fork of {@code call} not done yet: the caller cancelled, or the call failed. */
    void cancelAll(Call call) {
        List<Branch> pending = new ArrayList<>();
        synchronized (call) {
            for (Branch branch : call.branches) {
                if (!branch.done) {
                    branch.done = true;
                    pending.add(branch);
                }
            }
        }
        pending.forEach(branch -> cancel(call, branch));
    }

    void cancel(Call call, Branch branch) {
        synchronized (call) {
            if (!branch.provisional) {
                branch.cancelPending = true; // sent when its first provisional response arrives
                return;
            }
        }
        sendCancel(call, branch);
    }

    void sendCancel(Call call, Branch branch) {
        try {
            Request cancel = branch.transaction().createCancel();
            FlowRouter.route(cancel, branch.flow);
            messages.provider(branch.flow).getNewClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            LOG.info("call {}: CANCEL of a fork failed: {}", call.callerCallId, e.toString());
        }
    }

    void bye(Call call, Branch branch) {
        try {
            messages.sendInDialog(branch.dialog, branch.flow, branch.dialog.createRequest(Request.BYE));
        } catch (Exception e) {
            LOG.debug("call {}: BYE to a fork failed: {}", call.callerCallId, e.toString());
        }
    }

    /** The other leg of a call whose dialog died without BYE. */
    void byeLeg(Call call, Leg leg) {
        try {
            messages.sendInDialog(leg.dialog(), leg.flow(), leg.dialog().createRequest(Request.BYE));
        } catch (Exception e) {
            LOG.debug("call {}: BYE after a dead dialog failed: {}", call.callerCallId, e.toString());
        }
    }
}
