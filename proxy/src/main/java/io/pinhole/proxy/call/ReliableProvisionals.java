package io.pinhole.proxy.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.header.RequireHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.ListIterator;

/**
 * RFC 3262 on both legs, each on its own: the B2BUA PRACKs a callee's reliable provisional
 * itself, and sends the caller its provisionals reliably when the caller's INVITE required
 * 100rel (the caller PRACKs them to us).
 */
final class ReliableProvisionals {

    private static final Logger LOG = LoggerFactory.getLogger(ReliableProvisionals.class);

    private final CallMessages messages;
    private final CallerResponses caller;

    ReliableProvisionals(CallMessages messages, CallerResponses caller) {
        this.messages = messages;
        this.caller = caller;
    }

    /** Whether {@code message} carries {@code Require: 100rel}. */
    static boolean required(Message message) {
        ListIterator<?> requires = message.getHeaders(RequireHeader.NAME);
        while (requires.hasNext()) {
            if ("100rel".equalsIgnoreCase(((RequireHeader) requires.next()).getOptionTag())) {
                return true;
            }
        }
        return false;
    }

    /** The callee wants {@code response} acknowledged: PRACK it on the fork's early dialog. */
    void acknowledge(Branch branch, Response response) {
        try {
            Request prack = branch.dialog.createPrack(response);
            messages.sendInDialog(branch.dialog, branch.flow, prack);
        } catch (Exception e) {
            LOG.warn("call {}: could not PRACK the callee's {}: {}", branch.call.callerCallId, response.getStatusCode(),
                    e.toString());
        }
    }

    /** A provisional of ours to the caller: reliably when its INVITE required 100rel, else as any response. */
    void sendToCaller(Call call, Response response) {
        if (!required(call.inviteRequest)) {
            caller.send(call, response);
            return;
        }
        try {
            call.callerDialog.sendReliableProvisionalResponse(response);
            caller.sent(response);
        } catch (Exception e) {
            LOG.info("call {}: reliable {} not sent (one still unacknowledged?): {}", call.callerCallId,
                    response.getStatusCode(), e.toString());
        }
    }
}
