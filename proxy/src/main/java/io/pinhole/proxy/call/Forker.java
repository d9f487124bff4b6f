package io.pinhole.proxy.call;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipProvider;
import javax.sip.message.Request;
import java.util.List;
import java.util.Map;

/** Sends the callee leg: one INVITE per binding, in parallel (the first 2xx wins). */
final class Forker {

    private static final Logger LOG = LoggerFactory.getLogger(Forker.class);

    private final CallMessages messages;
    private final CallRegistry registry;
    private final CallFailure failure;

    Forker(CallMessages messages, CallRegistry registry, CallFailure failure) {
        this.messages = messages;
        this.registry = registry;
        this.failure = failure;
    }

    void fork(Call call, String sdp, List<Binding> bindings, Map<Binding, NatVerdict> verdicts, int maxForwards) {
        int sent = 0;
        for (Binding binding : bindings) {
            synchronized (call) {
                if (call.state == Call.State.ENDED) {
                    return; // cancelled while the relay was allocating
                }
            }
            Branch branch = null;
            try {
                Request invite = messages.invite(call.inviteRequest, binding.contactUri(), binding.flow(), sdp, maxForwards);
                SipProvider provider = messages.provider(binding.flow());
                ClientTransaction transaction = provider.getNewClientTransaction(invite);
                Dialog dialog = provider.getNewDialog(transaction);
                branch = new Branch(call, transaction, dialog, binding.flow(), verdicts.get(binding));
                synchronized (call) {
                    call.branches.add(branch);
                }
                registry.addBranch(call, branch);
                transaction.sendRequest();
                sent++;
            } catch (Exception e) {
                if (branch != null) {
                    synchronized (call) {
                        branch.done = true;
                    }
                }
                LOG.warn("call {}: INVITE to {} via {}:{} failed: {}", call.callerCallId, binding.contactUri(),
                        binding.flow().address(), binding.flow().port(), e.toString());
            }
        }
        if (sent == 0) {
            failure.fail(call, 503, "Callee unreachable");
        }
    }
}
