package io.pinhole.proxy.call;

import io.pinhole.proxy.cluster.ClusterRouting;
import io.pinhole.proxy.cluster.PeerAddress;
import io.pinhole.proxy.directory.UserDirectory;
import io.pinhole.proxy.flood.AccountCaps;
import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.NewRequest;
import io.pinhole.proxy.sip.Responder;

import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a new INVITE may become a call, before any routing: the proxy keeping up
 * ({@link OverloadGuard}), a local caller's credentials ({@link CallerAuth}) and its account's caps
 * ({@link AccountCaps}). Each refusal is answered here; a caller a peer of the cluster sends was
 * authenticated and counted by that peer.
 */
final class InviteGate {

    private final UserDirectory directory;
    private final ClusterRouting cluster;
    private final CallerAuth auth;
    private final OverloadGuard overload;
    private final AccountCaps accountCaps;
    private final Responder responder;

    InviteGate(UserDirectory directory, ClusterRouting cluster, CallerAuth auth, OverloadGuard overload,
               AccountCaps accountCaps, Responder responder) {
        this.directory = directory;
        this.cluster = cluster;
        this.auth = auth;
        this.overload = overload;
        this.accountCaps = accountCaps;
        this.responder = responder;
    }

    /**
     * The cheapest answers, without a transaction: 503 while received messages wait too long for
     * a worker (before any other work), and the 407 to a local caller's INVITE that carries no
     * credentials for its domain yet, which every call of a local user gets once. An INVITE that
     * answers a fresh challenge of ours is not refused by queue delay: that call was admitted when
     * it was challenged, and refusing it now would waste the round trip already spent on it.
     */
    boolean answeredStatelessly(NewRequest in) {
        String domain = localCallerDomain(in.request());
        String nonce = domain == null ? null : CallerAuth.nonceOf(in.request(), domain);
        // The nonce's MAC is checked only when the queue is over its limit: not on every INVITE.
        if (overload.fallenBehind() && !(nonce != null && auth.issuedFresh(nonce))) {
            overload.refuseStatelessly(in);
            return true;
        }
        if (domain == null || nonce != null || cluster.peerAt(in.source()).isPresent()) {
            return false; // a peer of the cluster authenticated its caller already
        }
        auth.challengeStatelessly(in, domain);
        return true;
    }

    /** The caller of a checked INVITE when it may call now; empty when the INVITE has been answered (407, 403, 503). */
    Optional<Caller> admit(IncomingRequest in, InviteCheck.Valid invite) {
        SipURI fromUri = invite.from();
        String fromDomain = fromUri.getHost().toLowerCase(Locale.ROOT);
        boolean localCaller = directory.servesDomain(fromDomain);
        Optional<PeerAddress> fromPeer = cluster.peerAt(in.flow());
        if (localCaller && fromPeer.isEmpty() && !auth.authorized(in, fromDomain, fromUri.getUser())) {
            return Optional.empty();
        }
        // Counted once per call: after the challenge round trip, not for the unanswered INVITE too.
        if (!overload.admits(in)) {
            return Optional.empty();
        }
        String aor = fromUri.getUser() + "@" + fromDomain;
        if (localCaller && fromPeer.isEmpty()) { // the peer counted this call against the caller's caps
            AccountCaps.Refusal capped = accountCaps.admit(aor, CallRegistry.inviteKey(in.callId(),
                    ((ViaHeader) in.request().getHeader(ViaHeader.NAME)).getBranch()), in.callId());
            if (capped != null) {
                responder.reply(in, 403, capped.reason());
                return Optional.empty();
            }
        }
        return Optional.of(new Caller(aor, localCaller, fromPeer));
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
}
