package io.pinhole.proxy.call;

import io.pinhole.proxy.dns.Resolution;
import io.pinhole.proxy.dns.SipResolver;
import io.pinhole.proxy.dns.SipTarget;
import io.pinhole.proxy.dns.TargetHealth;
import io.pinhole.proxy.session.SessionTimerHeaders;
import io.pinhole.proxy.sip.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.time.Duration;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Sends the callee leg: one INVITE per binding, in parallel (the first 2xx wins); or, for a
 * target named by the redirect server, one INVITE to each of its resolved hops in turn
 * (RFC 3263 §4.3). When a branch fails it moves the leg on: to the next hop, the next target,
 * or, with none left, the best failure back to the caller.
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

    /**
     * @param failoverTimeout how long an INVITE to a hop with another hop behind it may go without any response
     *                        (then it counts as timed out)
     */
    Forker(CallMessages messages, CallRegistry registry, CallFailure failure, SipResolver resolver, TargetHealth health,
           Duration failoverTimeout, Executor executor) {
        this.messages = messages;
        this.registry = registry;
        this.failure = failure;
        this.resolver = resolver;
        this.health = health;
        this.failoverTimeout = failoverTimeout;
        this.failoverTimer = CompletableFuture.delayedExecutor(failoverTimeout.toMillis(), TimeUnit.MILLISECONDS, executor);
    }

    /** What a failed branch leads to, once every branch of the call has failed. */
    enum AfterFailure { NEXT_HOP, NEXT_TARGET, ANSWER }

    /**
     * RFC 3263 §4.3: the same target's next hop before its next target; the redirect server's next
     * Contact (sequential fallback, best q first) unless the callee declined everywhere (6xx) or the
     * caller cancelled (487); else the best failure goes to the caller.
     */
    static AfterFailure afterFailure(int status, boolean hopLeft, boolean targetLeft) {
        if (movesToNextHop(status) && hopLeft) {
            return AfterFailure.NEXT_HOP;
        }
        if (targetLeft && status < 600 && status != 487) {
            return AfterFailure.NEXT_TARGET;
        }
        return AfterFailure.ANSWER;
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
    private void hopFailed(Branch branch) {
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
            Branch branch = send(call, Destination.server(target, hop), sdp, maxForwards);
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
                branch.transaction().terminate(); // no more retransmissions towards a silent hop
            } catch (Exception e) {
                LOG.debug("call {}: terminating the silent hop's transaction: {}", call.callerCallId, e.toString());
            }
            timedOut(branch);
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

    void fork(Call call, String sdp, List<Destination> destinations, int maxForwards) {
        int sent = 0;
        for (Destination destination : destinations) {
            if (send(call, destination, sdp, maxForwards) != null) {
                sent++;
            }
        }
        if (sent == 0) {
            failure.fail(call, 503, "Callee unreachable"); // a no-op when the call ended or was answered meanwhile
        }
    }

    /** One INVITE along {@code to}'s flow: its branch, or null when not sent (logged) or no longer wanted. */
    private Branch send(Call call, Destination to, String sdp, int maxForwards) {
        synchronized (call) {
            if (call.state == Call.State.ENDED) {
                return null; // cancelled while the relay was allocating
            }
        }
        Branch branch = null;
        try {
            Request invite = messages.invite(call.inviteRequest, to.requestUri(), to.flow(),
                    call.towards(Side.CALLEE, sdp, to.flow()), maxForwards);
            SipProvider provider = messages.provider(to.flow());
            ClientTransaction transaction = provider.getNewClientTransaction(invite);
            Dialog dialog = provider.getNewDialog(transaction);
            branch = new Branch(call, transaction, dialog, to.flow(), to.nat());
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
            LOG.warn("call {}: INVITE to {} via {}:{} failed: {}", call.callerCallId, to.requestUri(),
                    to.flow().address(), to.flow().port(), e.toString());
            return null;
        }
    }

    /** No final response on a branch (its transaction timed out, or a silent hop was given up): a 408 from it. */
    void timedOut(Branch branch) {
        Call call = branch.call;
        synchronized (call) {
            if (branch.done) {
                return; // given up already: a silent hop this forker moved on from
            }
        }
        LOG.info("call {}: no answer from callee via {}:{}", call.callerCallId, branch.flow.address(), branch.flow.port());
        failed(branch, messages.response(call.inviteRequest, 408, "Request Timeout", call.callerToTag,
                call.callerFlow.transport()));
    }

    /**
     * A branch's final failure: kept if it is the best so far; once every branch has failed, the
     * call moves on ({@link #afterFailure}) or the best failure goes to the caller.
     */
    void failed(Branch branch, Response response) {
        Call call = branch.call;
        int code = response.getStatusCode();
        Response best;
        AfterFailure after;
        String next = null;
        String sdp = null;
        int hops = 0;
        synchronized (call) {
            branch.done = true;
            if (call.winner != null || call.state == Call.State.ENDED) {
                return;
            }
            if (call.bestFailure == null || Outcomes.better(code, call.bestFailure.getStatusCode())) {
                call.bestFailure = response;
            }
            if (call.branches.stream().anyMatch(b -> !b.done)) {
                return;
            }
            after = afterFailure(code, !call.nextHops.isEmpty(), !call.nextTargets.isEmpty());
            if (after == AfterFailure.NEXT_TARGET) {
                next = call.nextTargets.poll();
                sdp = call.offerSdp;
                hops = call.maxForwards;
            }
            best = call.bestFailure;
        }
        if (movesToNextHop(code)) {
            hopFailed(branch);
        }
        switch (after) {
            case NEXT_HOP -> {
                LOG.info("call {}: {} from {}:{}, trying the next hop", call.callerCallId, code, branch.flow.address(),
                        branch.flow.port());
                nextHop(call);
            }
            case NEXT_TARGET -> {
                LOG.info("call {}: {} from the last target, trying {}", call.callerCallId, code, next);
                forkTo(call, next, sdp, hops);
            }
            case ANSWER -> failure.fail(call, toCaller(call, best));
        }
    }

    /** The best failure as the caller gets it, with what it needs to act on it. */
    private Response toCaller(Call call, Response best) {
        Response out = messages.response(call.inviteRequest, best.getStatusCode(), best.getReasonPhrase(),
                call.callerToTag, call.callerFlow.transport());
        if (best.getStatusCode() < 400) {
            ListIterator<?> contacts = best.getHeaders(ContactHeader.NAME);
            while (contacts.hasNext()) {
                out.addHeader((ContactHeader) ((ContactHeader) contacts.next()).clone());
            }
        }
        messages.copyHeader(best, out, "Retry-After");
        // A callee's 422 is useless to the caller without the Min-SE it asks for (RFC 4028 §6).
        messages.copyHeader(best, out, SessionTimerHeaders.MIN_SE);
        return out;
    }
}
