package io.pinhole.proxy.call;

import io.pinhole.proxy.auth.AuthOutcome;
import io.pinhole.proxy.auth.Challenges;
import io.pinhole.proxy.auth.DigestAuthenticator;
import io.pinhole.proxy.cluster.ClusterRouting;
import io.pinhole.proxy.cluster.Delivery;
import io.pinhole.proxy.cluster.PeerAddress;
import io.pinhole.proxy.directory.UserDirectory;
import io.pinhole.proxy.media.LegCapabilities;
import io.pinhole.proxy.media.LegEvidence;
import io.pinhole.proxy.media.MediaEvidence;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.MediaPlan;
import io.pinhole.proxy.media.MediaPlanner;
import io.pinhole.proxy.media.MediaPolicyConfig;
import io.pinhole.proxy.media.NgFlags;
import io.pinhole.proxy.media.PunchingProperties;
import io.pinhole.proxy.flood.AccountCaps;
import io.pinhole.proxy.media.SdpParser;
import io.pinhole.proxy.media.SdpSummary;
import io.pinhole.proxy.nat.NatDetector;
import io.pinhole.proxy.nat.NatEvidence;
import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.relay.MediaSession;
import io.pinhole.wire.ng.NgException;
import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.proxy.relay.RelayTransports;
import io.pinhole.proxy.media.MediaTransport;
import io.pinhole.proxy.relay.RelayProperties;
import io.pinhole.proxy.routing.RedirectClient;
import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.NewRequest;
import io.pinhole.proxy.sip.ReceiveBacklog;
import io.pinhole.proxy.sip.RequestHandler;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.Dialog;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A new call (seed 001's sequence): authenticate a local caller, find the callee's bindings,
 * detect NAT on both legs, allocate a relay when the plan says so, and fork the callee leg
 * with the SDP already rewritten to the relay. Where a call goes is {@link CallRouting}'s
 * decision; a call for a conference room is handed to {@link ConferenceEntry} there.
 */
public final class InviteHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InviteHandler.class);

    private final UserDirectory directory;
    private final DigestAuthenticator authenticator;
    private final Challenges challenges;
    private final BindingCache bindings;
    private final FlowKnowledge flows;
    private final RelayPool relays;
    private final MediaPolicyConfig mediaPolicy;
    private final CallRegistry registry;
    private final Forker forker;
    private final CallFailure failure;
    private final Admission admission;
    private final ReceiveBacklog backlog;
    private final Responder responder;
    private final SipMetrics metrics;
    private final SipFactories factories;
    private final RedirectClient redirects;
    private final String ownHost;
    private final Clock clock;
    private final AccountCaps accountCaps;
    private final ConferenceEntry conferences;
    private final ClusterRouting cluster;

    InviteHandler(UserDirectory directory, DigestAuthenticator authenticator, Challenges challenges, BindingCache bindings,
                  RelayPool relays, RelayProperties media, CallRegistry registry, Forker forker, CallFailure failure,
                  Admission admission, ReceiveBacklog backlog, Responder responder, SipMetrics metrics, SipFactories factories,
                  RedirectClient redirects, String ownHost, Clock clock, FlowKnowledge flows, PunchingProperties punching,
                  AccountCaps accountCaps, ConferenceEntry conferences, ClusterRouting cluster) {
        this.cluster = cluster;
        this.accountCaps = accountCaps;
        this.conferences = conferences;
        this.flows = flows;
        this.directory = directory;
        this.authenticator = authenticator;
        this.challenges = challenges;
        this.bindings = bindings;
        this.relays = relays;
        this.mediaPolicy = MediaPolicyConfig.of(media.policy(), media.trustedRelays(), punching);
        this.registry = registry;
        this.forker = forker;
        this.failure = failure;
        this.admission = admission;
        this.backlog = backlog;
        this.responder = responder;
        this.metrics = metrics;
        this.factories = factories;
        this.redirects = redirects;
        this.ownHost = ownHost;
        this.clock = clock;
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
        String nonce = domain == null ? null : Challenges.nonceOf(in.request(), domain, true);
        // The nonce's MAC is checked only when the queue is over its limit: not on every INVITE.
        if (!admission.keepsUp(backlog.delayMillis()) && !(nonce != null && authenticator.issuedFresh(nonce))) {
            metrics.callRejected("overload");
            responder.replyStatelessly(in, 503, "Service Unavailable", r -> retryAfter(r));
            return true;
        }
        if (domain == null || nonce != null || cluster.peerAt(in.source()).isPresent()) {
            return false; // a peer of the cluster authenticated its caller already
        }
        responder.replyStatelessly(in, 407, "Proxy Authentication Required", r -> challenges.challenge(r, in.request(),
                domain, authenticator.issueNonce(), false, true));
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
        MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        int hopsLeft = maxForwards == null ? 70 : maxForwards.getMaxForwards();
        if (hopsLeft <= 0) {
            reject(in, 483, "Too Many Hops");
            return;
        }
        if (!(request.getRequestURI() instanceof SipURI target) || target.getUser() == null) {
            reject(in, 416, "Unsupported URI Scheme");
            return;
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        if (!(from.getAddress().getURI() instanceof SipURI fromUri) || fromUri.getUser() == null) {
            reject(in, 400, "From must be a SIP URI with a user");
            return;
        }
        String sdp = CallMessages.sdpOf(request);
        if (sdp == null && request.getRawContent() != null && request.getRawContent().length > 0) {
            reject(in, 415, "Unsupported Media Type");
            return;
        }
        SdpSummary summary = null;
        if (sdp != null) {
            try {
                summary = SdpParser.parse(sdp);
            } catch (SdpParser.InvalidSdp e) {
                if (e.wellFormed()) {
                    reject(in, 488, "Not Acceptable Here: " + e.getMessage());
                } else {
                    reject(in, 400, "Malformed SDP: " + e.getMessage());
                }
                return;
            }
        }
        String fromDomain = fromUri.getHost().toLowerCase(Locale.ROOT);
        boolean localCaller = directory.servesDomain(fromDomain);
        Optional<PeerAddress> fromPeer = cluster.peerAt(in.flow());
        if (localCaller && fromPeer.isEmpty() && !authorized(in, fromDomain, fromUri.getUser())) {
            return;
        }
        // Counted once per call: after the challenge round trip, not for the unanswered INVITE too.
        if (!admission.admit(registry.active())) {
            metrics.callRejected("overload");
            responder.reply(in, 503, "Service Unavailable", r -> retryAfter(r));
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
        switch (route.kind()) {
            case LOCAL -> {
                if (delivery instanceof Delivery.Forward forward) {
                    startForwarded(in, caller, callee, forward.owner(), sdp, summary, hopsLeft - 1, now);
                } else {
                    start(in, caller, callee, sdp, summary, ((Delivery.Local) delivery).bindings(), hopsLeft - 1, now);
                }
            }
            case CONFERENCE -> conferences.join(in, caller, route.target(),
                    NatDetector.detect(callerEvidence(in, summary)).behindNat());
            case REDIRECT -> startRedirected(in, caller, target, sdp, summary, hopsLeft - 1, now);
            case UNAVAILABLE -> reject(in, 480, callee == null ? "Temporarily Unavailable"
                    : flows.unavailable(bindings.lookup(callee, now)));
            case NOT_FOUND -> reject(in, 404, "Not Found");
            case RELAYING_DENIED -> reject(in, 403, "Relaying denied");
        }
    }

    private void start(IncomingRequest in, String caller, String callee, String sdp, SdpSummary summary,
                       List<Binding> live, int maxForwards, Instant now) {
        NatVerdict callerNat = NatDetector.detect(callerEvidence(in, summary));
        Map<Binding, NatVerdict> calleeNat = new LinkedHashMap<>();
        List<LegEvidence> calleeLegs = new ArrayList<>();
        for (Binding binding : live) {
            NatVerdict verdict = NatDetector.detect(calleeEvidence(binding));
            calleeNat.put(binding, verdict);
            calleeLegs.add(new LegEvidence(Call.calleeLegName(binding.flow()), domainOf(callee),
                    flows.callee(binding, verdict)));
        }
        LegEvidence callerLeg = new LegEvidence("caller", domainOf(caller), flows.caller(caller, in.flow(), callerNat, now));
        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(callerLeg, calleeLegs, summary), mediaPolicy, relays.capabilities());
        Call call = newCall(in, caller, callee, sdp, callerNat, plan, now);
        if (call == null) {
            return;
        }
        // One INFO line per call, at its end (CallTerminator), with the NAT verdicts: the rest is DEBUG so a busy
        // proxy does not spend its CPU formatting log lines.
        LOG.debug("call {} {} -> {}: caller {}, {} binding(s), media {} ({})", in.callId(), caller, callee, callerNat,
                live.size(), call.mediaPath, plan.reason());
        mediaOffer(call, in, sdp).thenAccept(offered -> forker.fork(call, offered, live, calleeNat, maxForwards));
    }

    /**
     * The callee registered through another proxy of the cluster, which alone holds its flow: the
     * call goes there (RFC 5626 §5.3, as a Path would route it), Request-URI the callee's address
     * of record, and that proxy forks it over its flows. This leg is to a proxy, not a phone: no
     * NAT, not probed.
     */
    private void startForwarded(IncomingRequest in, String caller, String callee, PeerAddress owner, String sdp,
                                SdpSummary summary, int maxForwards, Instant now) {
        NatVerdict callerNat = NatDetector.detect(callerEvidence(in, summary));
        LegEvidence peerLeg = new LegEvidence("callee via " + owner.uri(), domainOf(callee),
                LegCapabilities.notProbed(NatVerdict.PUBLIC, Set.of()));
        LegEvidence callerLeg = new LegEvidence("caller", domainOf(caller), flows.caller(caller, in.flow(), callerNat, now));
        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(callerLeg, List.of(peerLeg), summary), mediaPolicy,
                relays.capabilities());
        Call call = newCall(in, caller, callee, sdp, callerNat, plan, now);
        if (call == null) {
            return;
        }
        LOG.debug("call {} {} -> {}: registered through {}, forwarding there; media {} ({})", in.callId(), caller,
                callee, owner, call.mediaPath, plan.reason());
        String aor = "sip:" + callee;
        Binding viaOwner = new Binding(0, callee, aor, aor, in.callId(), 0, null, 0, now, owner.flow(), null, null, null,
                owner.uri());
        mediaOffer(call, in, sdp).thenAccept(offered -> forker.fork(call, offered, List.of(viaOwner),
                Map.of(viaOwner, NatVerdict.PUBLIC), maxForwards));
    }

    /**
     * Seed 001's inter-domain sequence: relay offer, redirect query with the rewritten offer,
     * then the forwarding INVITE to the best Contact (the others in q order if it fails).
     */
    private void startRedirected(IncomingRequest in, String caller, SipURI target, String sdp, SdpSummary summary,
                                 int maxForwards, Instant now) {
        NatVerdict callerNat = NatDetector.detect(callerEvidence(in, summary));
        String callee = target.getUser() + "@" + target.getHost().toLowerCase(Locale.ROOT);
        // One leg stands for whichever target answers: proxies and trunks, taken as public (no NAT evidence yet).
        LegEvidence redirected = new LegEvidence("callee via redirect", domainOf(callee),
                LegCapabilities.notProbed(NatVerdict.PUBLIC, Set.of()));
        LegEvidence callerLeg = new LegEvidence("caller", domainOf(caller), flows.caller(caller, in.flow(), callerNat, now));
        MediaPlan plan = MediaPlanner.plan(new MediaEvidence(callerLeg, List.of(redirected), summary), mediaPolicy, relays.capabilities());
        Call call = newCall(in, caller, callee, sdp, callerNat, plan, now);
        if (call == null) {
            return;
        }
        LOG.debug("call {} {} -> {}: not served here, asking the redirect server; caller {}, media {} ({})", in.callId(),
                caller, callee, callerNat, call.mediaPath, plan.reason());
        mediaOffer(call, in, sdp).thenAccept(offered -> redirects.lookup(in.request(), target, offered)
                .thenAccept(answer -> {
                    if (answer instanceof io.pinhole.proxy.routing.RedirectAnswer.Targets targets) {
                        String first;
                        synchronized (call) {
                            targets.targets().forEach(t -> call.nextTargets.add(t.uri()));
                            first = call.nextTargets.poll();
                            call.offerSdp = offered;
                            call.maxForwards = maxForwards;
                        }
                        forker.forkTo(call, first, offered, maxForwards);
                    } else if (answer instanceof io.pinhole.proxy.routing.RedirectAnswer.Refused refused) {
                        failure.fail(call, refused.status(), refused.reason());
                    } else {
                        metrics.callRejected("no-redirect");
                        failure.fail(call, retryAfter(503, "Redirect server unavailable", call));
                    }
                }));
    }

    /** The caller's dialog and the call record; null (and the caller answered) when that fails. */
    private Call newCall(IncomingRequest in, String caller, String callee, String sdp, NatVerdict callerNat,
                         MediaPlan plan, Instant now) {
        if (plan.relayWanted() && plan.media() == MediaPath.DIRECT && sdp == null) {
            LOG.info("call {}: {}", in.callId(), plan.reason());
        }
        Dialog callerDialog;
        try {
            callerDialog = in.provider().getNewDialog(in.transaction());
        } catch (javax.sip.SipException e) {
            LOG.warn("call {}: no dialog for the INVITE: {}", in.callId(), e.getMessage());
            reject(in, 500, "Server Internal Error");
            return null;
        }
        String branch = ((ViaHeader) in.request().getHeader(ViaHeader.NAME)).getBranch();
        Call call = new Call(CallRegistry.inviteKey(in.callId(), branch), in.callId(), caller, callee, now,
                in.transaction(), in.request(), CallMessages.newTag(), in.flow(), callerNat, callerDialog, plan);
        registry.add(call);
        return call;
    }

    /**
     * The offer to send on: the caller's own SDP, or the relay's rewrite of it. When the relay
     * cannot be had the caller gets 503 + Retry-After and the returned future never completes
     * normally (nothing further happens for this call).
     */
    private java.util.concurrent.CompletableFuture<String> mediaOffer(Call call, IncomingRequest in, String sdp) {
        if (call.mediaPath == MediaPath.DIRECT) {
            return java.util.concurrent.CompletableFuture.completedFuture(sdp);
        }
        Set<MediaTransport> needed = call.mediaPlan.relayTransports();
        Optional<Relay> relay = relays.acquire(needed);
        if (relay.isEmpty()) {
            metrics.callRejected("no-relay");
            // say which transport is missing when the relays are up but none serves it (an edge agent's TLS, say)
            String reason = !needed.isEmpty() && relays.available()
                    ? "No media relay serves " + RelayTransports.describe(needed) + " media" : "No media relay available";
            failure.fail(call, retryAfter(503, reason, call));
            return new java.util.concurrent.CompletableFuture<>();
        }
        MediaSession session = relays.session(relay.get(), call.callerCallId);
        synchronized (call) {
            call.media = session;
        }
        return session.offer(sdp, call.inviteFromTag(), in.flow(), NgFlags.forLeg(call.mediaPlan.caller()),
                        call.mediaPlan.answererTransport())
                .thenApply(offered -> {
                    call.callerGrant = offered.offerer();
                    call.calleeGrant = offered.answerer();
                    return offered.sdp();
                })
                .whenComplete((offered, error) -> {
                    if (error == null) {
                        return;
                    }
                    Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                    if (cause instanceof NgException ng && ng.timeout()) {
                        relays.timedOut(relay.get());
                    }
                    LOG.warn("call {}: relay {} refused the offer: {}", call.callerCallId, relay.get().name(),
                            cause.getMessage());
                    failure.fail(call, retryAfter(503, "Media relay unavailable", call));
                });
    }

    private static String domainOf(String addressOfRecord) {
        return addressOfRecord.substring(addressOfRecord.indexOf('@') + 1);
    }

    private boolean authorized(IncomingRequest in, String domain, String user) {
        AuthOutcome outcome = authenticator.authenticate(Request.INVITE, domain, user, in.flow().address(),
                Challenges.credentials(in.request(), true));
        if (outcome instanceof AuthOutcome.Authorized) {
            return true;
        }
        if (outcome instanceof AuthOutcome.Challenge challenge) {
            if (!challenge.cause().startsWith("no credentials")) {
                metrics.authFailure(challenge.stale() ? "stale" : "challenge");
            }
            responder.reply(in, 407, "Proxy Authentication Required", r -> challenges.challenge(r, in.request(), domain,
                    authenticator.issueNonce(), challenge.stale(), true));
        } else if (outcome instanceof AuthOutcome.Forbidden forbidden) {
            metrics.authFailure("forbidden");
            LOG.info("INVITE from {}@{} ({}:{}) refused: {} (Call-ID {})", user, domain, in.flow().address(),
                    in.flow().port(), forbidden.reason(), in.callId());
            responder.reply(in, 403, forbidden.reason());
        }
        return false;
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

    private static NatEvidence callerEvidence(IncomingRequest in, SdpSummary summary) {
        ViaHeader via = (ViaHeader) in.request().getHeader(ViaHeader.NAME);
        ContactHeader contact = (ContactHeader) in.request().getHeader(ContactHeader.NAME);
        String contactHost = null;
        int contactPort = -1;
        if (contact != null && contact.getAddress().getURI() instanceof SipURI uri) {
            contactHost = uri.getHost();
            contactPort = uri.getPort();
        }
        return new NatEvidence(in.flow().address(), in.flow().port(), via.getHost(), via.getPort(), contactHost,
                contactPort, summary == null ? List.of() : summary.connectionAddresses());
    }

    private NatEvidence calleeEvidence(Binding binding) {
        String host = null;
        int port = -1;
        try {
            var uri = factories.addresses().createURI(binding.contactUri());
            if (uri instanceof SipURI sip) {
                host = sip.getHost();
                port = sip.getPort();
            }
        } catch (java.text.ParseException e) {
            // stored contacts were parsed once already; a bad one is simply no evidence
        }
        return new NatEvidence(binding.flow().address(), binding.flow().port(), null, -1, host, port, List.of());
    }

    private void reject(IncomingRequest in, int status, String reason) {
        LOG.info("INVITE {} from {}:{} rejected: {} {}", in.callId(), in.flow().address(), in.flow().port(), status, reason);
        metrics.callRejected(String.valueOf(status));
        responder.reply(in, status, reason);
    }

    private javax.sip.message.Response retryAfter(int status, String reason, Call call) {
        javax.sip.message.Response response = failure.response(call, status, reason);
        retryAfter(response);
        return response;
    }

    private void retryAfter(javax.sip.message.Response response) {
        try {
            response.addHeader(factories.headers().createRetryAfterHeader(admission.retryAfter()));
        } catch (javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }
}
