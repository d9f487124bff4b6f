package io.pinhole.proxy.call;

import io.pinhole.proxy.dns.Resolution;
import io.pinhole.proxy.dns.SipResolver;
import io.pinhole.proxy.dns.SipTarget;
import io.pinhole.proxy.dns.TargetHealth;
import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends the callee leg: one INVITE per binding, in parallel (the first 2xx wins); or, for a
 * target named by the redirect server, one INVITE to each of its resolved hops in turn
 * (RFC 3263 §4.3).
 */
final class Forker {

    private static final Logger LOG = LoggerFactory.getLogger(Forker.class);

    private final CallMessages messages;
    private final CallRegistry registry;
    private final CallFailure failure;
    private final SipResolver resolver;
    private final TargetHealth health;
    private final Duration failoverTimeout;
    private final Executor failoverTimer;
    private final Consumer<Branch> silentHop;

    /**
     * @param failoverTimeout how long an INVITE to a hop with another hop behind it may go without any response
     * @param silentHop       what a hop silent for that long becomes: a timed-out branch (BranchResponses)
     */
    Forker(CallMessages messages, CallRegistry registry, CallFailure failure, SipResolver resolver, TargetHealth health,
           Duration failoverTimeout, Executor executor, Consumer<Branch> silentHop) {
        this.messages = messages;
        this.registry = registry;
        this.failure = failure;
        this.resolver = resolver;
        this.health = health;
        this.failoverTimeout = failoverTimeout;
        this.failoverTimer = CompletableFuture.delayedExecutor(failoverTimeout.toMillis(), TimeUnit.MILLISECONDS, executor);
        this.silentHop = silentHop;
    }

    /** RFC 3263 §4.3: a timeout (our 408), a 503 or a transport failure moves a request on to the next hop. */
    static boolean movesToNextHop(int status) {
        return status == 408 || status == 503;
    }

    /**
     * One INVITE to a URI learned from a redirect server (a proxy or trunk, not a phone): its host
     * is resolved first (RFC 3263, never on the caller's thread for long), then its hops are tried
     * in order. An unresolvable target moves on to the next redirect target, or fails the call with
     * 503 naming the name.
     */
    void forkTo(Call call, String target, String sdp, int maxForwards) {
        SipTarget sipTarget;
        try {
            if (!(messages.parseUri(target) instanceof SipURI uri)) {
                throw new IllegalArgumentException("not a sip: or sips: URI");
            }
            sipTarget = SipTarget.of(uri);
        } catch (Exception e) {
            LOG.warn("call {}: redirect target {} unusable: {}", call.callerCallId, target, e.getMessage());
            nextTargetOr(call, 502, "Bad redirect target");
            return;
        }
        synchronized (call) {
            call.offerSdp = sdp;
            call.maxForwards = maxForwards;
        }
        resolver.resolve(sipTarget).thenAccept(resolution -> {
            if (resolution instanceof Resolution.Unresolved unresolved) {
                LOG.warn("call {}: target {} unresolvable: {}", call.callerCallId, target, unresolved.why());
                nextTargetOr(call, 503, "DNS failure for " + unresolved.name());
                return;
            }
            List<Flow> hops = health.order(((Resolution.Hops) resolution).hops());
            synchronized (call) {
                call.currentTarget = target;
                call.nextHops.clear();
                call.nextHops.addAll(hops);
            }
            LOG.debug("call {}: {} resolved to {}", call.callerCallId, target, hops);
            nextHop(call);
        }).exceptionally(error -> {
            LOG.error("call {}: forwarding to {} failed", call.callerCallId, target, error);
            failure.fail(call, 500, "Server Internal Error");
            return null;
        });
    }

    /** A hop of a redirect target failed (timeout, 503): tried after the others for a while. */
    void hopFailed(Branch branch) {
        boolean redirected;
        synchronized (branch.call) {
            redirected = branch.call.currentTarget != null;
        }
        if (redirected) {
            health.failed(branch.flow);
        }
    }

    /**
     * Sends the current target's INVITE to its next hop not tried yet; a hop whose send fails (a
     * refused connection) is skipped for the one after it. With no hop left: the next redirect
     * target, else 503.
     */
    void nextHop(Call call) {
        while (true) {
            Flow hop;
            String target;
            String sdp;
            int maxForwards;
            synchronized (call) {
                if (call.state == Call.State.ENDED || call.winner != null) {
                    return;
                }
                hop = call.nextHops.poll();
                target = call.currentTarget;
                sdp = call.offerSdp;
                maxForwards = call.maxForwards;
            }
            if (hop == null) {
                nextTargetOr(call, 503, "Callee unreachable");
                return;
            }
            Binding pseudo = new Binding(0, call.callee, target, target, call.callerCallId, 0, null, 0, call.startedAt,
                    hop, null, null, null);
            Branch branch = send(call, pseudo, NatVerdict.PUBLIC, sdp, maxForwards);
            if (branch != null) {
                armFailover(call, branch);
                return;
            }
            health.failed(hop);
        }
    }

    /** With another hop behind this one, a hop that says nothing at all within the bound is given up. */
    private void armFailover(Call call, Branch branch) {
        synchronized (call) {
            if (call.nextHops.isEmpty()) {
                return; // the last hop: waited for as long as its transaction lives (Timer B)
            }
        }
        CompletableFuture.runAsync(() -> {
            synchronized (call) {
                if (branch.heard || branch.done || call.winner != null || call.state == Call.State.ENDED) {
                    return;
                }
            }
            LOG.info("call {}: no response from {}:{}/{} within {} ms, trying the next hop", call.callerCallId,
                    branch.flow.address(), branch.flow.port(), branch.flow.transport(), failoverTimeout.toMillis());
            try {
                branch.transaction.terminate(); // no more retransmissions towards a silent hop
            } catch (Exception e) {
                LOG.debug("call {}: terminating the silent hop's transaction: {}", call.callerCallId, e.toString());
            }
            silentHop.accept(branch);
        }, failoverTimer);
    }

    private void nextTargetOr(Call call, int status, String reason) {
        String next;
        String sdp;
        int maxForwards;
        synchronized (call) {
            next = call.nextTargets.poll();
            sdp = call.offerSdp;
            maxForwards = call.maxForwards;
        }
        if (next != null) {
            LOG.info("call {}: {} {}, trying {}", call.callerCallId, status, reason, next);
            forkTo(call, next, sdp, maxForwards);
        } else {
            failure.fail(call, status, reason);
        }
    }

    void fork(Call call, String sdp, List<Binding> bindings, Map<Binding, NatVerdict> verdicts, int maxForwards) {
        int sent = 0;
        for (Binding binding : bindings) {
            if (send(call, binding, verdicts.get(binding), sdp, maxForwards) != null) {
                sent++;
            }
        }
        if (sent == 0) {
            failure.fail(call, 503, "Callee unreachable"); // a no-op when the call ended or was answered meanwhile
        }
    }

    /** One INVITE along {@code binding}'s flow: its branch, or null when not sent (logged) or no longer wanted. */
    private Branch send(Call call, Binding binding, NatVerdict verdict, String sdp, int maxForwards) {
        synchronized (call) {
            if (call.state == Call.State.ENDED) {
                return null; // cancelled while the relay was allocating
            }
        }
        Branch branch = null;
        try {
            Request invite = messages.invite(call.inviteRequest, binding.contactUri(), binding.flow(),
                    call.towards(Side.CALLEE, sdp, binding.flow()), maxForwards);
            SipProvider provider = messages.provider(binding.flow());
            ClientTransaction transaction = provider.getNewClientTransaction(invite);
            Dialog dialog = provider.getNewDialog(transaction);
            branch = new Branch(call, transaction, dialog, binding.flow(), verdict);
            synchronized (call) {
                // An earlier fork may have answered while this one was being built: then
                // this one is never sent. Once added, a later winner sees it and cancels it.
                if (call.winner != null || call.state == Call.State.ENDED) {
                    return null;
                }
                call.branches.add(branch);
            }
            registry.addBranch(call, branch);
            transaction.sendRequest();
            return branch;
        } catch (Exception e) {
            if (branch != null) {
                synchronized (call) {
                    branch.done = true;
                }
            }
            LOG.warn("call {}: INVITE to {} via {}:{} failed: {}", call.callerCallId, binding.contactUri(),
                    binding.flow().address(), binding.flow().port(), e.toString());
            return null;
        }
    }
}
