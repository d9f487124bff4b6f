package io.pinhole.proxy.call;

import io.pinhole.proxy.cluster.PeerAddress;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.SdpSummary;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.sip.IncomingRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.ViaHeader;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Sets up a routed call's legs and media: plans them ({@link CallLegs}), opens the caller's dialog
 * and registers the call, takes the relay's offer ({@link CallerOffer}) and sends the callee leg:
 * forked to the callee's bindings, to the proxy of the cluster that holds them, or to where the
 * redirect server says ({@link RedirectLookup}).
 */
final class CallSetup {

    private static final Logger LOG = LoggerFactory.getLogger(CallSetup.class);

    private final CallLegs legs;
    private final CallerOffer offers;
    private final Forker forker;
    private final RedirectLookup redirects;
    private final CallRegistry registry;
    private final InviteReplies replies;

    CallSetup(CallLegs legs, CallerOffer offers, Forker forker, RedirectLookup redirects, CallRegistry registry,
              InviteReplies replies) {
        this.legs = legs;
        this.offers = offers;
        this.forker = forker;
        this.redirects = redirects;
        this.registry = registry;
        this.replies = replies;
    }

    /** A callee registered here: one fork per live binding. */
    void toBindings(IncomingRequest in, String caller, String callee, String sdp, SdpSummary summary,
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
    void toOwner(IncomingRequest in, String caller, String callee, PeerAddress owner, String sdp, SdpSummary summary,
                 int maxForwards, Instant now) {
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
    void toRedirectTargets(IncomingRequest in, String caller, SipURI target, String sdp, SdpSummary summary,
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
        offers.of(call, sdp).thenAccept(offered -> redirects.forkTo(call, target, offered, maxForwards));
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
            replies.reject(in, 500, "Server Internal Error");
            return null;
        }
        String branch = ((ViaHeader) in.request().getHeader(ViaHeader.NAME)).getBranch();
        Call call = new Call(CallRegistry.inviteKey(in.callId(), branch), in.callId(), caller, callee, now,
                in.transaction(), in.request(), CallMessages.newTag(), in.flow(), planned.callerNat(), callerDialog,
                planned.plan());
        registry.add(call);
        return call;
    }
}
