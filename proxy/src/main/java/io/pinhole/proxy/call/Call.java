package io.pinhole.proxy.call;

import io.pinhole.proxy.media.EdgeSdp;
import io.pinhole.proxy.media.LegPlan;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.NgFlags;
import io.pinhole.proxy.media.MediaPlan;
import io.pinhole.proxy.media.PathPlan;
import io.pinhole.proxy.media.StreamGrant;
import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.sip.Flow;
import io.pinhole.proxy.relay.MediaSession;
import io.pinhole.proxy.session.SessionTimer;

import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One bridged call: the caller's INVITE and dialog, the forked branches towards the callee,
 * the winning branch, and the relay session.
 *
 * <p>Threads: SIP callbacks for both dialogs and relay replies arrive on different threads;
 * every mutable field is read and written only while holding this object's monitor. SIP
 * messages may be sent while holding it (JAIN-SIP sends do not call back into us).
 */
final class Call {

    enum State { ROUTING, EARLY, ANSWERED, ENDED }

    final String inviteKey;
    final String callerCallId;
    final String caller;
    final String callee;
    final Instant startedAt;
    /**
     * The caller's INVITE transaction and request: what every response to the caller is built from
     * and sent on until the call is answered. Both are let go of once the caller ACKs our 2xx
     * ({@link #settle()}): null from then on, so an established call does not keep the parsed
     * INVITE and its transaction (with our parsed 2xx) for its whole length.
     */
    volatile ServerTransaction invite;
    volatile Request inviteRequest;
    /** The From tag of the caller's INVITE: the caller's name to the relay, for the whole call. */
    private final String callerFromTag;
    /** The caller ACKed our 2xx and the set-up state was let go of ({@link #settle()}). */
    private boolean settled;
    final String callerToTag;
    final Flow callerFlow;
    final NatVerdict callerNat;
    final Dialog callerDialog;
    final MediaPlan mediaPlan;
    /** {@code mediaPlan.media()}: DIRECT, or RELAY_UDP when the call has a relay. */
    final MediaPath mediaPath;
    /** The forks; most calls have one (a default list's 10 slots stayed for the call's length). */
    final List<Branch> branches = new ArrayList<>(2);

    State state = State.ROUTING;
    /**
     * Set before the callee leg is sent, and replaced (under the lock) when the call moves to another
     * relay ({@link RelayFailover}); read without the lock by in-dialog handlers.
     */
    volatile MediaSession media;
    /** How often the call moved to another relay because its relay died. */
    int relayFailovers;
    /** Why the call could not stay on a relay (the dead relay named), for the CDR; null when it could. */
    String relayFailure;
    /**
     * Run once when the callee's answer went to the caller, or null: a call re-offered to another
     * relay while it rang ({@link RelayFailover}) re-INVITEs the callee with that relay's SDP then.
     */
    Runnable afterAnswer;
    /** The callee's last early answer (18x SDP) given to the relay, or null: see {@link EarlyMediaMove}. */
    EarlyAnswer earlyAnswer;
    /**
     * The last SDP each phone sent us (its own addresses), and the last we sent it; see {@link #sdpFrom}.
     * Kept for the call's whole length but read only when media moves (a relay failover, a punch):
     * as their UTF-8 bytes ({@link SdpBytes}), four fields rather than two enum maps: two maps,
     * their arrays and the strings' headers less a call.
     */
    private byte[] heardCaller;
    private byte[] heardCallee;
    private byte[] toldCaller;
    private byte[] toldCallee;
    /**
     * The relay's stream tokens for the caller's and the answering side, from the first offer; null
     * for a side on UDP. Set once before the callee leg is sent.
     */
    volatile StreamGrant callerGrant;
    volatile StreamGrant calleeGrant;
    Branch winner;
    String calleeRelayTag;
    Instant answeredAt;
    /** The session timer in force since the answer (RFC 4028), or null when none applies. */
    SessionTimer session;
    Response bestFailure;
    /**
     * The caller hears the callee's responses in the order they came, even when each waits for
     * its own relay answer: every forwarding step is chained after the previous one.
     */
    java.util.concurrent.CompletableFuture<Void> forwarding = java.util.concurrent.CompletableFuture.completedFuture(null);

    /** Runs {@code step} after every earlier forwarding step of this call has finished. */
    void inOrder(java.util.function.Supplier<java.util.concurrent.CompletableFuture<?>> step) {
        synchronized (this) {
            forwarding = forwarding.thenCompose(done -> step.get()).handle((r, e) -> null);
        }
    }

    /** The SDP the caller got in our 2xx (the relay's rewrite): what a punch re-offers from. */
    private byte[] sdpToCaller;
    /** When the media went direct (hole punching), or null; until when, once a phone renegotiated. */
    Instant directFrom;
    Instant directUntil;
    /** Why a punch left the media relayed, or null. */
    String punchOutcome;
    /** A phone sent a new offer in the dialog: a punch in progress stops, its SDP bookkeeping is stale. */
    boolean renegotiated;

    /** A phone's own re-offer went through the relay: media is relayed again from {@code at}. */
    synchronized void renegotiated(Instant at) {
        renegotiated = true;
        if (directFrom != null && directUntil == null) {
            directUntil = at;
        }
    }

    /** {@code side}'s phone sent us {@code sdp} (an offer or an answer); null bodies are ignored. */
    synchronized void heard(Side side, String sdp) {
        if (sdp != null) {
            if (side == Side.CALLER) {
                heardCaller = SdpBytes.of(sdp);
            } else {
                heardCallee = SdpBytes.of(sdp);
            }
        }
    }

    /** We sent {@code side}'s phone {@code sdp}; null bodies are ignored. */
    synchronized void told(Side side, String sdp) {
        if (sdp != null) {
            if (side == Side.CALLER) {
                toldCaller = SdpBytes.of(sdp);
            } else {
                toldCallee = SdpBytes.of(sdp);
            }
        }
    }

    /** The caller got {@code sdp} in our 2xx. */
    synchronized void answeredCaller(String sdp) {
        sdpToCaller = SdpBytes.of(sdp);
    }

    /** The last SDP {@code side}'s phone sent us: what a new relay is offered or answered with. */
    synchronized String sdpFrom(Side side) {
        String sdp = SdpBytes.text(side == Side.CALLER ? heardCaller : heardCallee);
        if (sdp == null && side == Side.CALLER) {
            return CallMessages.sdpOf(inviteRequest);
        }
        return sdp;
    }

    /** The last SDP {@code side}'s phone got from us: a re-offer's o= version must go above it. */
    synchronized String sdpTo(Side side) {
        String sdp = SdpBytes.text(side == Side.CALLER ? toldCaller : toldCallee);
        if (sdp != null) {
            return sdp;
        }
        if (side == Side.CALLER) {
            return SdpBytes.text(sdpToCaller);
        }
        return winner == null || winner.transaction() == null ? null : CallMessages.sdpOf(winner.transaction().getRequest());
    }

    /** Whether the media is on the direct path now (the relay sees no media of it, by design). */
    synchronized boolean direct() {
        return directFrom != null && directUntil == null;
    }

    /**
     * Redirect targets not tried yet, best first; the SDP and hop budget to try them with. Both
     * deques start small: most calls have none, and a call keeps them (empty) for its whole length,
     * where the default 16 slots cost 88 bytes each.
     */
    final java.util.Deque<String> nextTargets = new java.util.ArrayDeque<>(2);
    String offerSdp;
    int maxForwards;
    /** The redirect target being tried and its resolved hops not tried yet (RFC 3263 §4.3), best first. */
    String currentTarget;
    final java.util.Deque<Flow> nextHops = new java.util.ArrayDeque<>(2);

    Call(String inviteKey, String callerCallId, String caller, String callee, Instant startedAt, ServerTransaction invite,
         Request inviteRequest, String callerToTag, Flow callerFlow, NatVerdict callerNat, Dialog callerDialog,
         MediaPlan mediaPlan) {
        this.inviteKey = inviteKey;
        this.callerCallId = callerCallId;
        // addresses of record repeat from call to call (a user places and takes many): one string each
        this.caller = caller == null ? null : caller.intern();
        this.callee = callee == null ? null : callee.intern();
        this.startedAt = startedAt;
        this.invite = invite;
        this.inviteRequest = inviteRequest;
        this.callerFromTag = inviteRequest == null ? null
                : ((javax.sip.header.FromHeader) inviteRequest.getHeader("From")).getTag();
        this.callerToTag = callerToTag;
        this.callerFlow = callerFlow;
        this.callerNat = callerNat;
        this.callerDialog = callerDialog;
        this.mediaPlan = mediaPlan;
        this.mediaPath = mediaPlan.media();
    }

    /** How the media plan names a callee leg reached over {@code flow}. */
    static String calleeLegName(Flow flow) {
        return "callee " + flow.address() + ":" + flow.port() + "/" + flow.transport();
    }

    /** The planned and taken paths for the CDR: the answering fork's, else what is known without one. */
    synchronized PathPlan paths() {
        return mediaPlan.forCallee(winner == null ? null : calleeLegName(winner.flow));
    }

    /**
     * {@code sdp} as sent towards {@code side}: with {@code a=pinhole-media} when that side's media
     * goes over a relay stream connection (see {@link EdgeSdp}); the callee side is the answering
     * fork's, or the fork reached over {@code calleeFlow} before one answered.
     */
    String towards(Side side, String sdp, Flow calleeFlow) {
        if (side == Side.CALLER) {
            return EdgeSdp.towards(sdp, mediaPlan.caller(), callerGrant);
        }
        Flow flow = calleeFlow;
        synchronized (this) {
            if (winner != null) {
                flow = winner.flow;
            }
        }
        return flow == null ? sdp : EdgeSdp.towards(sdp, mediaPlan.forCallee(calleeLegName(flow)).callee(), calleeGrant);
    }

    /**
     * The ng options for the callee's answer on the fork reached over {@code flow}: that fork's plan,
     * so an edge callee's answer names its {@code media-transport} as the contract has it (the relay
     * returns the token the offer already granted); UDP options where the fork went unplanned.
     */
    NgFlags calleeFlags(Flow flow, boolean behindNat) {
        LegPlan leg = mediaPlan.forCallee(calleeLegName(flow)).callee();
        return leg == null || leg.actual() == MediaPath.DIRECT ? NgFlags.forLeg(MediaPath.RELAY_UDP, behindNat)
                : NgFlags.forLeg(leg.actual(), behindNat, leg.transport());
    }

    synchronized Leg leg(Side side) {
        if (side == Side.CALLER) {
            return new Leg(callerDialog, callerFlow, inviteFromTag(), callerNat);
        }
        return winner == null ? null : new Leg(winner.dialog, winner.flow, calleeRelayTag, winner.nat);
    }

    String inviteFromTag() {
        return callerFromTag;
    }

    /**
     * The caller ACKed our 2xx: the call is established, and what only its set-up needed is let go
     * of. The two SDP fallbacks that read the INVITEs ({@link #sdpFrom}, {@link #sdpTo}) are kept as
     * strings first; then the caller's INVITE and its transaction, and the winning fork's client
     * transaction (our INVITE, the callee's parsed 2xx). Once only, and only for an answered call.
     *
     * @return the winning fork, whose dialog may now release its own set-up state; null when
     *         nothing was done (not answered, ended, or settled before)
     */
    synchronized Branch settle() {
        if (settled || state != State.ANSWERED || winner == null) {
            return null;
        }
        settled = true;
        if (heardCaller == null && inviteRequest != null) {
            heard(Side.CALLER, CallMessages.sdpOf(inviteRequest));
        }
        if (toldCallee == null && winner.transaction() != null) {
            told(Side.CALLEE, CallMessages.sdpOf(winner.transaction().getRequest()));
        }
        invite = null;
        inviteRequest = null;
        winner.releaseTransaction();
        // what only finding the callee needed: redirect targets and hops, the best fork failure
        offerSdp = null;
        nextTargets.clear();
        nextHops.clear();
        currentTarget = null;
        bestFailure = null;
        // forks that lost are over (cancelled or hung up); a late answer of one still finds its
        // record through its transaction, and the call's end has nothing left to do for it
        branches.removeIf(branch -> branch != winner && branch.done);
        return winner;
    }

    /**
     * When ({@link System#nanoTime()}) we last ACKed a 2xx on either leg: a dialog keeps that ACK
     * for the 2xx's retransmissions until {@link SentAckRelease} lets it go. Written before the ACK
     * is created, so the sweep, which reads the dialog's ACK first and this after, never drops an
     * ACK younger than its window.
     */
    private volatile long ackSentNanos;

    void ackSent(long nanos) {
        ackSentNanos = nanos;
    }

    /** Whether we ACKed a 2xx less than {@code window} nanoseconds before {@code nanos}. */
    boolean ackedWithin(long nanos, long window) {
        return nanos - ackSentNanos < window;
    }

    /** Whether the caller ACKed the answer and the set-up state is gone ({@link #settle()}). */
    synchronized boolean settled() {
        return settled;
    }

    synchronized boolean ended() {
        return state == State.ENDED;
    }
}
