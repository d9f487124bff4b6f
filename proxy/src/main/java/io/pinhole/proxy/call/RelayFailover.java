package io.pinhole.proxy.call;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.media.LegPlan;
import io.pinhole.proxy.media.MediaPath;
import io.pinhole.proxy.media.MediaTransport;
import io.pinhole.proxy.media.NgFlags;
import io.pinhole.proxy.media.PathPlan;
import io.pinhole.proxy.punch.DirectSdp;
import io.pinhole.proxy.relay.MediaSession;
import io.pinhole.proxy.relay.FailoverProperties;
import io.pinhole.proxy.relay.Relay;
import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.proxy.relay.RelayTransports;
import io.pinhole.proxy.sip.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Moves the calls of a relay that died ({@link io.pinhole.proxy.relay.RelayWatch} found it) to
 * another relay of the pool. For each answered call: ng {@code offer} with the caller's last SDP and
 * {@code answer} with the callee's to the new relay, the call's media session switched, then a
 * re-INVITE of our own ({@link OwnReInvite}) to each leg with the new relay's SDP for it, and each
 * phone's answer fed back to the relay as rtpengine expects (the caller's as a re-offer from its
 * tag, the callee's as the answer). A call that cannot move (no other relay, a leg refusing the
 * re-INVITE) is hung up, BYE both ways, CDR outcome {@code relay-failed} with the dead
 * relay named. One not answered yet is re-offered to another relay and its callee re-INVITEd once it
 * answered; when that cannot be, the caller gets 503 (see {@link FailoverDecision}).
 *
 * <p>Threads: the walk over the calls runs on this class's own thread, the ng and SIP steps on the
 * relay pool's callback threads and the SIP stack's: never on the watch's thread or a SIP receive
 * thread, since a BYE over TCP may wait for its connection.
 */
final class RelayFailover implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayFailover.class);
    /** A phone that has not answered our re-INVITE by then is taken as refusing it: the call ends. */
    static final Duration REINVITE_BOUND = Duration.ofSeconds(8);

    private final CallRegistry registry;
    private final RelayPool pool;
    private final OwnReInvite reInvites;
    private final CallHangup hangup;
    private final CallFailure failure;
    private final ForkHangups hangups;
    private final Clock clock;
    private final Counter moved;
    private final Counter ended;
    private final Counter setupFailed;
    private final FailoverProperties settings;
    private final EarlyMediaMove earlyMedia;
    /** Each dead relay's latest verdict in words: one entry a relay, replaced at its next death. */
    private final Map<Relay, String> causes = new ConcurrentHashMap<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "relay-failover");
        t.setDaemon(true);
        return t;
    });

    RelayFailover(CallRegistry registry, RelayPool pool, OwnReInvite reInvites, CallHangup hangup, CallFailure failure,
                  ForkHangups hangups, Clock clock, MeterRegistry meters, FailoverProperties settings,
                  EarlyMediaMove earlyMedia) {
        this.settings = settings;
        this.earlyMedia = earlyMedia;
        this.registry = registry;
        this.pool = pool;
        this.reInvites = reInvites;
        this.hangup = hangup;
        this.failure = failure;
        this.hangups = hangups;
        this.clock = clock;
        this.moved = counter(meters, "moved");
        this.ended = counter(meters, "ended");
        this.setupFailed = counter(meters, "setup-failed");
    }

    private static Counter counter(MeterRegistry meters, String result) {
        return Counter.builder("pinhole.relay.failovers").tag("result", result)
                .description("Calls of a dead relay: moved to another relay, ended, or failed while being set up")
                .register(meters);
    }

    /**
     * The relay died: its calls are moved or ended, on this class's thread.
     *
     * @param cause the watch's verdict in words ({@link io.pinhole.proxy.relay.DeadRelayDecision}),
     *              named in the CDR of each call that cannot move
     */
    void relayDied(Relay dead, String cause) {
        causes.put(dead, cause);
        thread.execute(() -> {
            List<Call> calls = registry.calls().stream().filter(call -> {
                MediaSession media = call.media;
                return media != null && media.relay() == dead;
            }).toList();
            LOG.info("relay {} died with {} call(s) of ours: moving them, {} a second", dead.name(), calls.size(),
                    settings.movesPerSecond());
            long first = System.nanoTime();
            int started = 0;
            for (Call call : calls) {
                Duration pause = settings.pause(started++, Duration.ofNanos(System.nanoTime() - first));
                if (!pause.isZero()) {
                    try {
                        Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return; // shutting down
                    }
                }
                try {
                    handle(call, dead);
                } catch (RuntimeException e) {
                    LOG.error("call {}: relay failover failed", call.callerCallId, e);
                }
            }
            // A call that cannot move ends during the walk; a move failing later is its own cause.
            causes.remove(dead, cause);
        });
    }

    private void handle(Call call, Relay dead) {
        FailoverDecision.Verdict verdict;
        synchronized (call) {
            verdict = FailoverDecision.decide(call.state, call.media != null && call.media.relay() == dead,
                    call.sdpFrom(Side.CALLER), call.sdpFrom(Side.CALLEE));
        }
        switch (verdict.action()) {
            case NONE -> { }
            case FAIL_SETUP -> failSetup(call, dead, verdict.why());
            case REOFFER -> reOffer(call, dead);
            case END -> end(call, dead, verdict.why());
            case MOVE -> move(call, dead);
        }
    }

    private void failSetup(Call call, Relay dead, String why) {
        synchronized (call) {
            call.relayFailure = truncate(died(dead) + " before the call was answered: " + why);
        }
        hangups.cancelAll(call);
        failure.fail(call, 503, "Media relay failed");
        setupFailed.increment();
        LOG.info("call {} {} -> {}: relay {} died while it was being set up ({}): 503 to the caller", call.callerCallId,
                call.caller, call.callee, dead.name(), why);
    }

    /**
     * A call not answered yet: the caller's SDP is offered to another relay (as the call's first
     * offer, so stream grants are fresh), the call's media switched to it, and once the callee's
     * answer went to the caller (given to the new relay by the usual answer path) the callee is
     * re-INVITEd with the new relay's SDP for it: our INVITE had offered it the dead relay's ports.
     * Runs in the call's forwarding order, so an answer already being handed to the dead relay
     * finishes (or fails) first.
     */
    private void reOffer(Call call, Relay dead) {
        Set<MediaTransport> needed = call.mediaPlan.relayTransports();
        Optional<Relay> next = pool.acquire(needed);
        if (next.isEmpty()) {
            failSetup(call, dead, noOtherRelay(needed));
            return;
        }
        Instant started = clock.instant();
        MediaSession fresh = pool.session(next.get(), call.callerCallId);
        call.inOrder(() -> {
            Call.State state;
            synchronized (call) {
                state = call.media != null && call.media.relay() == dead ? call.state : Call.State.ENDED;
            }
            // Nothing was offered to fresh yet: only our count goes back. A delete would be wrong, the
            // call (same Call-ID) may be on that very relay already, put there by AnswerRescue.
            if (state == Call.State.ENDED) {
                pool.release(fresh.relay()); // ended, or no longer on the dead relay
                return CompletableFuture.completedFuture(null);
            }
            if (state == Call.State.ANSWERED) {
                pool.release(fresh.relay()); // answered meanwhile: moved as any answered call
                move(call, dead);
                return CompletableFuture.completedFuture(null);
            }
            NgFlags callerFlags = NgFlags.forLeg(call.mediaPlan.caller());
            return fresh.offer(call.sdpFrom(Side.CALLER), call.inviteFromTag(), call.callerFlow, callerFlags,
                            call.mediaPlan.answererTransport())
                    .whenComplete((offered, error) -> {
                        if (error != null) {
                            abandon(fresh);
                            failSetup(call, dead, next.get().name() + " refused the re-offer: " + describe(error));
                            return;
                        }
                        synchronized (call) {
                            call.callerGrant = offered.offerer();
                            call.calleeGrant = offered.answerer();
                            call.afterAnswer = () -> reInviteCallee(call, dead, fresh, offered.sdp(), started);
                        }
                        if (!switchTo(call, dead, fresh)) {
                            abandon(fresh);
                            return;
                        }
                        LOG.info("call {} {} -> {}: relay {} died while it was being set up: re-offered to {}, the "
                                + "callee is re-INVITEd once it answers", call.callerCallId, call.caller, call.callee,
                                dead.name(), fresh.relay().name());
                        earlyMedia.resume(call, fresh, offered.sdp()); // its early media, if any, on the new relay
                    });
        });
    }

    /** Whether the call could move off {@code from} now: another relay serving its media transports is up. */
    boolean canMove(Call call, Relay from) {
        return pool.otherUp(from, call.mediaPlan.relayTransports());
    }

    /**
     * The callee's answer could not be given to the call's relay ({@code failed}: it timed out,
     * refused it, or was found dead meanwhile): the call goes to another relay now, as a ringing call
     * of a dead relay does, but with the answer at hand: ng {@code offer} there with the caller's SDP
     * and {@code answer} with the callee's, the call switched to it, and the callee, whose INVITE
     * offered {@code failed}'s ports, re-INVITEd with the new relay's SDP once the caller has its 200
     * (the call's {@code afterAnswer}). Completes with the SDP for the caller's 200; fails when no other
     * relay is up or it refused too (the caller then gets 503 as before).
     */
    CompletableFuture<String> answerElsewhere(Call call, Relay failed, String calleeSdp, Flow calleeFlow,
                                              NgFlags calleeFlags, String why) {
        return elsewhere(call, failed, calleeSdp, call.calleeRelayTag, calleeFlow, calleeFlags, why,
                "the callee's answer", (fresh, toCallee) -> { });
    }

    /**
     * As {@link #answerElsewhere}, for the callee's early answer (a 18x's SDP from {@code toTag}) while
     * the call rings: completes with the SDP for the caller's 18x, and the callee learns of the new
     * relay as {@link EarlyMediaMove#tellCallee} decides (UPDATE now, or re-INVITE once it answers).
     * Fails as that does; the caller then rings without SDP, as before.
     */
    CompletableFuture<String> earlyElsewhere(Call call, Relay failed, String calleeSdp, String toTag, Flow calleeFlow,
                                             NgFlags calleeFlags, String why) {
        return elsewhere(call, failed, calleeSdp, toTag, calleeFlow, calleeFlags, why, "the callee's early answer",
                (fresh, toCallee) -> earlyMedia.tellCallee(call, fresh, toCallee));
    }

    /** What follows once the call switched to {@code fresh}, whose offer gave {@code toCallee}. */
    private interface Switched {
        void then(MediaSession fresh, String toCallee);
    }

    private CompletableFuture<String> elsewhere(Call call, Relay failed, String calleeSdp, String toTag, Flow calleeFlow,
                                                NgFlags calleeFlags, String why, String what, Switched switched) {
        Set<MediaTransport> needed = call.mediaPlan.relayTransports();
        Optional<Relay> next = pool.acquireOther(failed, needed);
        if (next.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException(why + "; " + noOtherRelay(needed)));
        }
        Instant started = clock.instant();
        MediaSession fresh = pool.session(next.get(), call.callerCallId);
        NgFlags callerFlags = NgFlags.forLeg(call.mediaPlan.caller());
        CompletableFuture<String> toCaller = fresh.offer(call.sdpFrom(Side.CALLER), call.inviteFromTag(), call.callerFlow,
                        callerFlags, call.mediaPlan.answererTransport())
                .thenCompose(offered -> fresh.answer(calleeSdp, call.inviteFromTag(), toTag, calleeFlow, calleeFlags)
                        .thenApply(sdp -> {
                            synchronized (call) {
                                call.callerGrant = offered.offerer();
                                call.calleeGrant = offered.answerer();
                                call.afterAnswer = () -> reInviteCallee(call, failed, fresh, offered.sdp(), started);
                            }
                            if (!switchTo(call, failed, fresh)) {
                                throw new IllegalStateException("the call ended meanwhile");
                            }
                            LOG.info("call {} {} -> {}: relay {} could not take {} ({}): given to {} instead",
                                    call.callerCallId, call.caller, call.callee, failed.name(), what, why,
                                    fresh.relay().name());
                            switched.then(fresh, offered.sdp());
                            return sdp;
                        }));
        return toCaller.whenComplete((sdp, error) -> {
            if (error != null) {
                abandon(fresh);
            }
        });
    }

    /** The re-offered call was answered through the new relay: the callee gets that relay's SDP. */
    private void reInviteCallee(Call call, Relay dead, MediaSession fresh, String toCallee, Instant started) {
        Leg callee = call.leg(Side.CALLEE);
        reInvite(call, Side.CALLEE, call.towards(Side.CALLEE, toCallee, null)).whenComplete((answer, error) -> {
            String refused = error != null ? describe(error)
                    : answer.getStatusCode() >= 300 ? "the callee refused the re-INVITE (" + answer.getStatusCode() + ")"
                    : null;
            if (refused != null) {
                end(call, dead, refused);
                return;
            }
            moved.increment();
            LOG.info("call {} {} -> {}: answered on relay {} after {} died while it rang ({} ms)", call.callerCallId,
                    call.caller, call.callee, fresh.relay().name(), dead.name(),
                    Duration.between(started, clock.instant()).toMillis());
            String sdp = CallMessages.sdpOf(answer);
            if (sdp != null) {
                fresh.answer(sdp, call.inviteFromTag(), callee.relayTag(), callee.flow(),
                        call.calleeFlags(callee.flow(), callee.nat().behindNat())).whenComplete((ignored, failed) -> {
                            if (failed != null) {
                                LOG.warn("call {}: relay {} refused the callee's answer after the move: {}",
                                        call.callerCallId, fresh.relay().name(), describe(failed));
                            }
                        });
            }
        });
    }

    private void end(Call call, Relay dead, String why) {
        synchronized (call) {
            call.relayFailure = truncate(died(dead) + ": " + why);
        }
        if (hangup.hangUp(call, CallHangup.Why.RELAY_FAILED)) {
            ended.increment();
            LOG.info("call {} {} -> {}: relay {} died and the call could not be moved ({}): hung up", call.callerCallId,
                    call.caller, call.callee, dead.name(), why);
        }
    }

    private void move(Call call, Relay dead) {
        Set<MediaTransport> needed = call.mediaPlan.relayTransports();
        Optional<Relay> next = pool.acquire(needed);
        if (next.isEmpty()) {
            end(call, dead, noOtherRelay(needed));
            return;
        }
        Instant started = clock.instant();
        MediaSession fresh = pool.session(next.get(), call.callerCallId);
        Leg caller = call.leg(Side.CALLER);
        Leg callee = call.leg(Side.CALLEE);
        PathPlan paths = call.paths();
        NgFlags callerFlags = flags(paths.caller(), caller);
        NgFlags calleeFlags = flags(paths.callee(), callee);
        String callerSdp = call.sdpFrom(Side.CALLER);
        String calleeSdp = call.sdpFrom(Side.CALLEE);
        // The new relay's first offer, as the call's was: a leg on a stream connection asks for the
        // same transport (media-transport for the caller, answerer-media-transport for the callee),
        // so the relay grants fresh tokens, and the re-INVITEs name them (a=pinhole-media): the
        // leg's edge agent connects its stream link to the new relay.
        fresh.offer(callerSdp, caller.relayTag(), caller.flow(), callerFlags, streamOf(paths.callee()))
                .thenCompose(offered -> fresh.answer(calleeSdp, caller.relayTag(), callee.relayTag(), callee.flow(),
                        calleeFlags).thenApply(toCaller -> new NewRelay(offered, toCaller)))
                .whenComplete((replies, error) -> {
                    if (error != null) {
                        abandon(fresh);
                        end(call, dead, next.get().name() + " refused the call: " + describe(error));
                        return;
                    }
                    MediaSession.Offered offered = replies.offered();
                    synchronized (call) {
                        call.callerGrant = offered.offerer();
                        call.calleeGrant = offered.answerer();
                    }
                    if (!switchTo(call, dead, fresh)) {
                        abandon(fresh); // ended meanwhile (a phone's BYE): its end freed the dead relay's share
                        return;
                    }
                    String[] sdps = {call.towards(Side.CALLER, replies.toCaller(), null),
                            call.towards(Side.CALLEE, offered.sdp(), null)};
                    reInviteBoth(call, dead, fresh, caller, callee, callerFlags, calleeFlags, sdps, started);
                });
    }

    /** The new relay's offer (SDP for the callee, stream grants) and answer (SDP for the caller). */
    private record NewRelay(MediaSession.Offered offered, String toCaller) {
    }

    /** The call's media is on {@code fresh} from now on; false when it ended meanwhile. */
    private boolean switchTo(Call call, Relay dead, MediaSession fresh) {
        MediaSession old;
        synchronized (call) {
            if (call.state == Call.State.ENDED) {
                return false;
            }
            old = call.media;
            call.media = fresh;
            call.relayFailovers++;
            // Our re-offer goes around any punch in progress: relayed from now on.
            call.renegotiated(clock.instant());
        }
        // Our share of the dead relay goes now, whether or not its delete is ever answered: a relay
        // back from the dead after a restart holds nothing, one cut off holds the call until its own
        // media timeout unless this delete reaches it.
        pool.release(dead);
        old.delete().handle((reply, error) -> null);
        return true;
    }

    private void reInviteBoth(Call call, Relay dead, MediaSession fresh, Leg caller, Leg callee, NgFlags callerFlags,
                              NgFlags calleeFlags, String[] sdps, Instant started) {
        CompletableFuture<Response> toCaller = reInvite(call, Side.CALLER, sdps[0]);
        CompletableFuture<Response> toCallee = reInvite(call, Side.CALLEE, sdps[1]);
        toCaller.thenCombine(toCallee, (a, b) -> new Response[]{a, b}).whenComplete((answers, error) -> {
            String refused = error != null ? describe(error) : refusal(answers[0], answers[1]);
            if (refused != null) {
                end(call, dead, refused);
                return;
            }
            moved.increment();
            LOG.info("call {} {} -> {}: moved from relay {} to {} ({} ms)", call.callerCallId, call.caller, call.callee,
                    dead.name(), fresh.relay().name(), Duration.between(started, clock.instant()).toMillis());
            feedBack(call, fresh, caller, callee, callerFlags, calleeFlags, answers);
        });
    }

    private CompletableFuture<Response> reInvite(Call call, Side side, String sdp) {
        return reInvites.send(call, side, DirectSdp.above(sdp, call.sdpTo(side)))
                .orTimeout(REINVITE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The phones' answers to the re-INVITEs, given to the relay as it expects them after an offer
     * and answer: the caller's as a re-offer from its tag (its ports kept), the callee's as the
     * answer. Usually the same SDPs as before; a phone that answered with another port is heard there.
     */
    private void feedBack(Call call, MediaSession fresh, Leg caller, Leg callee, NgFlags callerFlags,
                          NgFlags calleeFlags, Response[] answers) {
        String callerSdp = CallMessages.sdpOf(answers[0]);
        String calleeSdp = CallMessages.sdpOf(answers[1]);
        if (callerSdp == null || calleeSdp == null) {
            return; // a 2xx without SDP keeps what the relay was told before
        }
        fresh.offer(callerSdp, caller.relayTag(), callee.relayTag(), caller.flow(), callerFlags)
                .thenCompose(ignored -> fresh.answer(calleeSdp, caller.relayTag(), callee.relayTag(), callee.flow(),
                        calleeFlags))
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        LOG.warn("call {}: relay {} refused the phones' answers after the move: {}", call.callerCallId,
                                fresh.relay().name(), describe(error));
                    }
                });
    }

    /** The refusal in words, or null when both legs answered 2xx. */
    static String refusal(Response caller, Response callee) {
        if (caller.getStatusCode() >= 300) {
            return "the caller refused the re-INVITE (" + caller.getStatusCode() + ")";
        }
        if (callee.getStatusCode() >= 300) {
            return "the callee refused the re-INVITE (" + callee.getStatusCode() + ")";
        }
        return null;
    }

    /** The leg's ng options on the new relay: its stream transport kept (TCP, TLS or HTTP), else UDP. */
    private static NgFlags flags(LegPlan plan, Leg leg) {
        if (plan == null || plan.actual() == MediaPath.DIRECT) {
            return NgFlags.forLeg(MediaPath.RELAY_UDP, leg.nat().behindNat());
        }
        return NgFlags.forLeg(plan.actual(), leg.nat().behindNat(), plan.transport());
    }

    /** The leg's stream transport, or null when its media goes over UDP (or it has no relayed plan). */
    private static MediaTransport streamOf(LegPlan plan) {
        return plan == null || plan.actual() == MediaPath.DIRECT || !plan.transport().stream() ? null : plan.transport();
    }

    private void abandon(MediaSession fresh) {
        fresh.delete().handle((reply, error) -> null);
        pool.release(fresh.relay());
    }

    /** "relay a (id 1) died", with the watch's verdict when there was one. */
    private String died(Relay dead) {
        String cause = causes.get(dead);
        return named(dead) + " died" + (cause == null ? "" : ", " + cause);
    }

    private static String named(Relay relay) {
        return "relay " + relay.name() + (relay.id() == null ? "" : " (id " + relay.id() + ")");
    }

    private static String truncate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500);
    }

    /** An error in words; a re-INVITE past {@link #REINVITE_BOUND} (a bare timeout) says so. */
    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "a leg did not answer the re-INVITE within " + REINVITE_BOUND.toSeconds() + " s";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(2, TimeUnit.SECONDS);
    }

    /** Why a call could not be moved, naming the transport its legs need when it is not plain UDP. */
    private static String noOtherRelay(Set<MediaTransport> needed) {
        return needed.isEmpty() ? "no other relay up" : "no other relay serving " + RelayTransports.describe(needed) + " up";
    }
}
