package io.pinhole.proxy.call;

import io.pinhole.proxy.cluster.ClusterRouting;
import io.pinhole.proxy.cluster.Delivery;
import io.pinhole.proxy.cluster.PeerAddress;
import io.pinhole.proxy.directory.UserDirectory;
import io.pinhole.proxy.flood.AccountCaps;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.SdpSummary;
import io.pinhole.proxy.nat.NatDetector;
import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.routing.RedirectAnswer;
import io.pinhole.proxy.routing.RedirectClient;
import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.NewRequest;
import io.pinhole.proxy.sip.ReceiveBacklog;
import io.pinhole.proxy.sip.RequestHandler;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A new call (seed 001's sequence), as SIP orchestration: check the INVITE ({@link InviteCheck}),
 * authenticate a local caller ({@link CallerAuth}), admit it, find the callee's bindings, plan the
 * legs and the media ({@link CallLegs}), take the relay's offer ({@link CallerOffer}) and fork the
 * callee leg ({@link Forker}). Where a call goes is {@link CallRouting}'s decision; a call for a
 * conference room is handed to {@link ConferenceEntry} there.
 */
public final class InviteHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InviteHandler.class);

    private final UserDirectory directory;
    private final CallerAuth auth;
    private final BindingCache bindings;
    private final FlowKnowledge flows;
    private final CallLegs legs;
    private final CallerOffer offers;
    private final CallRegistry registry;
    private final Forker forker;
    private final CallFailure failure;
    private final RetryLater retryLater;
    private final Admission admission;
    private final ReceiveBacklog backlog;
    private final Responder responder;
    private final SipMetrics metrics;
    private final RedirectClient redirects;
    private final String ownHost;
    private final Clock clock;
    private final AccountCaps accountCaps;
    private final ConferenceEntry conferences;
    private final ClusterRouting cluster;

    InviteHandler(UserDirectory directory, CallerAuth auth, BindingCache bindings, FlowKnowledge flows, CallLegs legs,
                  CallerOffer offers, CallRegistry registry, Forker forker, CallFailure failure, RetryLater retryLater,
                  Admission admission, ReceiveBacklog backlog, Responder responder, SipMetrics metrics,
                  RedirectClient redirects, String ownHost, Clock clock, AccountCaps accountCaps,
                  ConferenceEntry conferences, ClusterRouting cluster) {
        this.directory = directory;
        this.auth = auth;
        this.bindings = bindings;
        this.flows = flows;
        this.legs = legs;
        this.offers = offers;
        this.registry = registry;
        this.forker = forker;
        this.failure = failure;
        this.retryLater = retryLater;
        this.admission = admission;
        this.backlog = backlog;
        this.responder = responder;
        this.metrics = metrics;
        this.redirects = redirects;
        this.ownHost = ownHost;
        this.clock = clock;
        this.accountCaps = accountCaps;
        this.conferences = conferences;
        this.cluster = cluster;
    }

    @Override
    public String method() {
        return Request.INVITE;
    }

    /**
     * The cheapest answers, without a transaction: 503 while received messages wait too long for
     * a worker (before any other work), and the 407 to a local caller's INVITE that carries no
     * credentials for its domain yet, which every call of a local user gets once. An INVITE that
     * answers a fresh challenge of ours is not refused by queue delay: that call was admitted when
     * it was challenged, and refusing it now would waste the round trip already spent on it.
     * Everything else is stateful.
     */
    @Override
    public boolean answeredStatelessly(NewRequest in) {
        String domain = localCallerDomain(in.request());
        String nonce = domain == null ? null : CallerAuth.nonceOf(in.request(), domain);
        // The nonce's MAC is checked only when the queue is over its limit: not on every INVITE.
        if (!admission.keepsUp(backlog.delayMillis()) && !(nonce != null && auth.issuedFresh(nonce))) {
            metrics.callRejected("overload");
            responder.replyStatelessly(in, 503, "Service Unavailable", retryLater::addTo);
            return true;
        }
        if (domain == null || nonce != null || cluster.peerAt(in.source()).isPresent()) {
            return false; // a peer of the cluster authenticated its caller already
        }
        auth.challengeStatelessly(in, domain);
        return true;
    }

    /** The caller's domain when it is one this proxy serves (its users are challenged), else null. */
    private String localCallerDomain(Request request) {
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        if (from == null || !(from.getAddress().getURI() instanceof SipURI fromUri) || fromUri.getUser() == null) {
            return null;
        }
        String domain = fromUri.getHost().toLowerCase(Locale.ROOT);
        return directory.servesDomain(domain) ? domain : null;
    }

    @Override
    public void handle(IncomingRequest in) {
        Request request = in.request();
        responder.reply(in, 100, "Trying");
        InviteCheck.Verdict verdict = InviteCheck.check(request);
        if (verdict instanceof InviteCheck.Invalid invalid) {
            reject(in, invalid.status(), invalid.reason());
            return;
        }
        InviteCheck.Valid invite = (InviteCheck.Valid) verdict;
        SipURI target = invite.target();
        SipURI fromUri = invite.from();
        String fromDomain = fromUri.getHost().toLowerCase(Locale.ROOT);
        boolean localCaller = directory.servesDomain(fromDomain);
        Optional<PeerAddress> fromPeer = cluster.peerAt(in.flow());
        if (localCaller && fromPeer.isEmpty() && !auth.authorized(in, fromDomain, fromUri.getUser())) {
            return;
        }
        // Counted once per call: after the challenge round trip, not for the unanswered INVITE too.
        if (!admission.admit(registry.active())) {
            metrics.callRejected("overload");
            responder.reply(in, 503, "Service Unavailable", retryLater::addTo);
            return;
        }
        if (localCaller && fromPeer.isEmpty()) { // the peer counted this call against the caller's caps
            AccountCaps.Refusal capped = accountCaps.admit(fromUri.getUser() + "@" + fromDomain, CallRegistry.inviteKey(
                    in.callId(), ((ViaHeader) request.getHeader(ViaHeader.NAME)).getBranch()), in.callId());
            if (capped != null) {
                responder.reply(in, 403, capped.reason());
                return;
            }
        }
        String targetDomain = targetDomain(request, target);
        String caller = fromUri.getUser() + "@" + fromDomain;
        Instant now = clock.instant();
        String callee = targetDomain == null ? null : target.getUser() + "@" + targetDomain;
        // a binding whose NAT pings go unanswered is skipped while another binding of the callee answers
        List<Binding> live = callee == null ? List.of() : flows.reachableFirst(bindings.lookup(callee, now));
        Delivery delivery = cluster.deliver(live, fromPeer, callee, in.callId());
        RouteDecision route = CallRouting.decide(new CallRouting.Facts(localCaller, targetDomain, target.getUser(),
                !(delivery instanceof Delivery.Unreachable), targetDomain != null && directory.find(targetDomain, target.getUser()).isPresent(),
                targetDomain != null && conferences.isRoom(targetDomain, target.getUser()), conferences.adhocPrefix(),
                fromPeer.isPresent()));
        String sdp = invite.sdp();
        SdpSummary summary = invite.summary();
        int maxForwards = invite.maxForwards();
        switch (route.kind()) {
            case LOCAL -> {
                if (delivery instanceof Delivery.Forward forward) {
                    startForwarded(in, caller, callee, forward.owner(), sdp, summary, maxForwards, now);
                } else {
                    start(in, caller, callee, sdp, summary, ((Delivery.Local) delivery).bindings(), maxForwards, now);
                }
            }
            case CONFERENCE -> conferences.join(in, caller, route.target(),
                    NatDetector.detect(NatEvidences.caller(in.flow(), request, summary)).behindNat());
            case REDIRECT -> startRedirected(in, caller, target, sdp, summary, maxForwards, now);
            case UNAVAILABLE -> reject(in, 480, callee == null ? "Temporarily Unavailable"
                    : flows.unavailable(bindings.lookup(callee, now)));
            case NOT_FOUND -> reject(in, 404, "Not Found");
            case RELAYING_DENIED -> reject(in, 403, "Relaying denied");
        }
    }

    private void start(IncomingRequest in, String caller, String callee, String sdp, SdpSummary summary,
                       List<Binding> live, int maxForwards, Instant now) {
        CallLegs.Planned planned = legs.toBindings(in, caller, callee, live, summary, now);
        Call call = newCall(in, caller, callee, sdp, planned, now);
        if (call == null) {
            return;
        }
        // One INFO line per call, at its end (CallTerminator), with the NAT verdicts: the rest is DEBUG so a busy
        // proxy does not spend its CPU formatting log lines.
        LOG.debug("call {} {} -> {}: caller {}, {} binding(s), media {} ({})", in.callId(), caller, callee,
                planned.callerNat(), live.size(), call.mediaPath, planned.plan().reason());
        offers.of(call, sdp).thenAccept(offered -> forker.fork(call, offered, planned.destinations(), maxForwards));
    }

    /**
     * The callee registered through another proxy of the cluster, which alone holds its flow: the
     * call goes there (RFC 5626 §5.3, as a Path would route it), Request-URI the callee's address
     * of record, and that proxy forks it over its flows. This leg is to a proxy, not a phone: no
     * NAT, not probed.
     */
    private void startForwarded(IncomingRequest in, String caller, String callee, PeerAddress owner, String sdp,
                                SdpSummary summary, int maxForwards, Instant now) {
        CallLegs.Planned planned = legs.toServer(in, caller, "callee via " + owner.uri(), callee, summary, now);
        Call call = newCall(in, caller, callee, sdp, planned, now);
        if (call == null) {
            return;
        }
        LOG.debug("call {} {} -> {}: registered through {}, forwarding there; media {} ({})", in.callId(), caller,
                callee, owner, call.mediaPath, planned.plan().reason());
        Destination viaOwner = Destination.server("sip:" + callee, owner.flow());
        offers.of(call, sdp).thenAccept(offered -> forker.fork(call, offered, List.of(viaOwner), maxForwards));
    }

    /**
     * Seed 001's inter-domain sequence: relay offer, redirect query with the rewritten offer,
     * then the forwarding INVITE to the best Contact (the others in q order if it fails).
     */
    private void startRedirected(IncomingRequest in, String caller, SipURI target, String sdp, SdpSummary summary,
                                 int maxForwards, Instant now) {
        String callee = target.getUser() + "@" + target.getHost().toLowerCase(Locale.ROOT);
        // One leg stands for whichever target answers: proxies and trunks, taken as public (no NAT evidence yet).
        CallLegs.Planned planned = legs.toServer(in, caller, "callee via redirect", callee, summary, now);
        Call call = newCall(in, caller, callee, sdp, planned, now);
        if (call == null) {
            return;
        }
        LOG.debug("call {} {} -> {}: not served here, asking the redirect server; caller {}, media {} ({})", in.callId(),
                caller, callee, planned.callerNat(), call.mediaPath, planned.plan().reason());
        offers.of(call, sdp).thenAccept(offered -> redirects.lookup(in.request(), target, offered)
                .thenAccept(answer -> {
                    if (answer instanceof RedirectAnswer.Targets targets) {
                        String first;
                        synchronized (call) {
                            targets.targets().forEach(t -> call.nextTargets.add(t.uri()));
                            first = call.nextTargets.poll();
                            call.offerSdp = offered;
                            call.maxForwards = maxForwards;
                        }
                        forker.forkTo(call, first, offered, maxForwards);
                    } else if (answer instanceof RedirectAnswer.Refused refused) {
                        failure.fail(call, refused.status(), refused.reason());
                    } else {
                        metrics.callRejected("no-redirect");
                        failure.fail(call, retryLater.response(call, 503, "Redirect server unavailable"));
                    }
                }));
    }

    /** The caller's dialog and the call record; null (and the caller answered) when that fails. */
    private Call newCall(IncomingRequest in, String caller, String callee, String sdp, CallLegs.Planned planned,
                         Instant now) {
        if (planned.plan().relayWanted() && planned.plan().media() == MediaPath.DIRECT && sdp == null) {
            LOG.info("call {}: {}", in.callId(), planned.plan().reason());
        }
        Dialog callerDialog;
        try {
            callerDialog = in.provider().getNewDialog(in.transaction());
        } catch (SipException e) {
            LOG.warn("call {}: no dialog for the INVITE: {}", in.callId(), e.getMessage());
            reject(in, 500, "Server Internal Error");
            return null;
        }
        String branch = ((ViaHeader) in.request().getHeader(ViaHeader.NAME)).getBranch();
        Call call = new Call(CallRegistry.inviteKey(in.callId(), branch), in.callId(), caller, callee, now,
                in.transaction(), in.request(), CallMessages.newTag(), in.flow(), planned.callerNat(), callerDialog,
                planned.plan());
        registry.add(call);
        return call;
    }

    /** The served domain a call is for: the Request-URI's, or the To's when the R-URI names us by address. */
    private String targetDomain(Request request, SipURI target) {
        String host = target.getHost().toLowerCase(Locale.ROOT);
        if (directory.servesDomain(host)) {
            return host;
        }
        if (host.equals(ownHost) && ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI() instanceof SipURI to
                && directory.servesDomain(to.getHost().toLowerCase(Locale.ROOT))) {
            return to.getHost().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private void reject(IncomingRequest in, int status, String reason) {
        LOG.info("INVITE {} from {}:{} rejected: {} {}", in.callId(), in.flow().address(), in.flow().port(), status, reason);
        metrics.callRejected(String.valueOf(status));
        responder.reply(in, status, reason);
    }
}
