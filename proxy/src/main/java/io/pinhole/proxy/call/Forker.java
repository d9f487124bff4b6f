package io.pinhole.proxy.call;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.Flow;
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

    /** One INVITE to a URI learned from a redirect server (a proxy or trunk, not a phone). */
    void forkTo(Call call, String target, String sdp, int maxForwards) {
        Flow flow;
        try {
            flow = flowOf(target);
        } catch (Exception e) {
            LOG.warn("call {}: redirect target {} unusable: {}", call.callerCallId, target, e.getMessage());
            failure.fail(call, 502, "Bad redirect target");
            return;
        }
        Binding pseudo = new Binding(0, call.callee, target, target, call.callerCallId, 0, null, 0, call.startedAt,
                flow, null, null, null);
        fork(call, sdp, List.of(pseudo), Map.of(pseudo, NatVerdict.PUBLIC), maxForwards);
    }

    /** Where a SIP URI is sent: its host and port (5060, 5061 for sips), its transport parameter. */
    private Flow flowOf(String target) throws Exception {
        javax.sip.address.SipURI uri = (javax.sip.address.SipURI) messages.parseUri(target);
        String transport = uri.getTransportParam() != null ? uri.getTransportParam().toUpperCase(java.util.Locale.ROOT)
                : uri.isSecure() ? "TLS" : "UDP";
        int port = uri.getPort() > 0 ? uri.getPort() : "TLS".equals(transport) ? 5061 : 5060;
        // A literal needs no lookup; a host name is resolved here (A/AAAA only: no SRV/NAPTR yet).
        String address = java.net.InetAddress.getByName(uri.getHost()).getHostAddress();
        return new Flow(address, port, transport);
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
                Request invite = messages.invite(call.inviteRequest, binding.contactUri(), binding.flow(),
                        call.towards(Side.CALLEE, sdp, binding.flow()), maxForwards);
                SipProvider provider = messages.provider(binding.flow());
                ClientTransaction transaction = provider.getNewClientTransaction(invite);
                Dialog dialog = provider.getNewDialog(transaction);
                branch = new Branch(call, transaction, dialog, binding.flow(), verdicts.get(binding));
                synchronized (call) {
                    // An earlier fork may have answered while this one was being built: then
                    // this one is never sent. Once added, a later winner sees it and cancels it.
                    if (call.winner != null || call.state == Call.State.ENDED) {
                        return;
                    }
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
