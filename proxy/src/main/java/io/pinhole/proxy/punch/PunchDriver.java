package io.pinhole.proxy.punch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.call.Side;
import io.pinhole.proxy.media.PunchingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Carries out hole punching for answered calls planned PUNCH: relay first, then direct.
 * <ol>
 *   <li>poll the relay ({@code query}) until it has latched both phones' public media addresses
 *       (at most {@code latch-within} after the answer, else the call stays relayed);</li>
 *   <li>re-INVITE both phones at once, each with the SDP it has from us pointing at the other's
 *       public address (version one up, codecs as they were); each phone's first packets to the
 *       other open its own NAT's filter for the other's; a phone that refuses stays relayed, and
 *       the other is moved back;</li>
 *   <li>check, from the relay's packet counts, that both phones left the relay ({@link PunchJudge});
 *       when one did not, re-INVITE both back to the relay. The check takes half of
 *       {@code verify-within} and the way back the other half, so a failed attempt costs at most
 *       that bound of audio;</li>
 *   <li>prove, from the phones' RTCP receiver reports (their RTCP stays on the relay, see
 *       {@link DirectSdp#towards}), that the other phone's media arrives at each: the call is
 *       direct on the counters' word until the reports, every few seconds, confirm it or show that
 *       nothing arrives, and then it goes back to the relay at once. Phones that send no RTCP by
 *       {@link PunchJudge#RTCP_WAIT} stay direct on the counters alone. The log line and the
 *       {@code pinhole.punch.proofs} metric say which evidence it was.</li>
 * </ol>
 * The relay keeps the call's ports throughout, so the way back needs no new allocation.
 *
 * <p>Threads: each attempt's state is confined to this class's one thread; relay replies and SIP
 * answers are handed to it. Nothing here blocks: every wait is a scheduled poll.
 */
public final class PunchDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PunchDriver.class);

    private enum State { LATCHING, MOVING, CHECKING, PROVING, DONE }

    private final PunchingProperties settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> proofs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "punch");
        t.setDaemon(true);
        return t;
    });

    public PunchDriver(PunchingProperties settings, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
    }

    /** One punched call's progress; touched on the driver's thread only. */
    private static final class Attempt {
        final PunchCall call;
        final Instant answeredAt;
        State state = State.LATCHING;
        Instant movedAt;
        boolean baseline;
        long callerBase;
        long calleeBase;
        String callerRelayed;
        String calleeRelayed;
        String callerDirect;
        String calleeDirect;

        Attempt(PunchCall call, Instant answeredAt) {
            this.call = call;
            this.answeredAt = answeredAt;
        }
    }

    /** Starts punching an answered call whose legs were both planned PUNCH. */
    public void start(PunchCall call) {
        Instant now = clock.instant();
        thread.execute(() -> later(new Attempt(call, now)));
    }

    private void later(Attempt a) {
        thread.schedule(() -> safely(a, () -> poll(a)), settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void safely(Attempt a, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("call {}: punching failed", a.call.callId(), e);
            finish(a, "internal error: " + e, "error");
        }
    }

    private void poll(Attempt a) {
        if (a.state == State.DONE) {
            return;
        }
        if (a.call.over()) {
            if (a.state == State.PROVING) {
                proven(a, new PunchJudge.Proof(PunchJudge.Verdict.DIRECT,
                        "relay counters only (the call ended or was renegotiated before the RTCP proof)", "counters"));
            } else {
                finish(a, "call ended or renegotiated during the punch", "ended");
            }
            return;
        }
        a.call.query().whenCompleteAsync((reply, error) -> safely(a, () -> observed(a, reply, error)), thread);
    }

    private void observed(Attempt a, Map<String, Object> reply, Throwable error) {
        if (a.state == State.DONE) {
            return;
        }
        Instant now = clock.instant();
        if (a.state == State.PROVING) {
            prove(a, error == null ? RelayObservation.from(reply, a.call.relayTag(Side.CALLER),
                    a.call.relayTag(Side.CALLEE)) : null, now);
            return;
        }
        if (error != null) {
            String why = "relay query failed: " + error.getMessage();
            if (a.state == State.CHECKING) {
                fallBack(a, why);
            } else {
                finish(a, why, "error");
            }
            return;
        }
        RelayObservation seen = RelayObservation.from(reply, a.call.relayTag(Side.CALLER), a.call.relayTag(Side.CALLEE));
        if (a.state == State.LATCHING) {
            PunchJudge.Readiness readiness = PunchJudge.ready(seen);
            if (readiness instanceof PunchJudge.Ready ready) {
                move(a, ready);
            } else if (readiness instanceof PunchJudge.Never never) {
                finish(a, never.why(), "not-possible");
            } else if (Duration.between(a.answeredAt, now).compareTo(settings.latchWithin()) > 0) {
                finish(a, "not latched within " + settings.latchWithin().toMillis() + " ms ("
                        + ((PunchJudge.NotYet) readiness).why() + ")", "not-latched");
            } else {
                later(a);
            }
            return;
        }
        if (a.state != State.CHECKING || seen.caller() == null || seen.callee() == null) {
            fallBack(a, "the relay no longer shows both sides");
            return;
        }
        Duration sinceMoved = Duration.between(a.movedAt, now);
        if (!a.baseline) {
            // The first poll after the move is the baseline: what was in flight when the phones switched is counted before it.
            a.baseline = true;
            a.callerBase = seen.caller().rtpPackets();
            a.calleeBase = seen.callee().rtpPackets();
            later(a);
            return;
        }
        PunchJudge.Check check = PunchJudge.verify(sinceMoved, PunchJudge.window(settings.verifyWithin()), true,
                seen.caller().rtpPackets() - a.callerBase, seen.callee().rtpPackets() - a.calleeBase);
        switch (check.verdict()) {
            case DIRECT -> {
                a.state = State.PROVING;
                a.call.wentDirect(a.movedAt);
                count("direct");
                LOG.info("call {}: media direct ({} ms after the answer), both phones left the relay", a.call.callId(),
                        Duration.between(a.answeredAt, a.movedAt).toMillis());
                later(a);
            }
            case FALL_BACK -> fallBack(a, check.reason());
            case WAIT -> later(a);
        }
    }

    /** One poll of the proof: each phone's last RTCP report against the other's last packet at the relay. */
    private void prove(Attempt a, RelayObservation seen, Instant now) {
        if (seen == null || seen.caller() == null || seen.callee() == null) {
            proven(a, new PunchJudge.Proof(PunchJudge.Verdict.DIRECT,
                    "relay counters only (the relay no longer answers for the call)", "counters"));
            return;
        }
        Duration sinceMoved = Duration.between(a.movedAt, now);
        PunchJudge.Arrival caller = PunchJudge.arrival(sinceMoved, seen.caller().report(), seen.callee().lastRtp());
        PunchJudge.Arrival callee = PunchJudge.arrival(sinceMoved, seen.callee().report(), seen.caller().lastRtp());
        PunchJudge.Proof proof = PunchJudge.prove(sinceMoved, caller, callee);
        switch (proof.verdict()) {
            case WAIT -> later(a);
            case DIRECT -> proven(a, proof);
            case FALL_BACK -> {
                proofs(proof.kind());
                LOG.info("call {}: direct media refuted {} ms after the move: {} (caller {} {}, callee {} {})",
                        a.call.callId(), sinceMoved.toMillis(), proof.evidence(), seen.caller().report(),
                        seen.callee().lastRtp(), seen.callee().report(), seen.caller().lastRtp());
                fallBack(a, proof.evidence());
            }
        }
    }

    private void proven(Attempt a, PunchJudge.Proof proof) {
        a.state = State.DONE;
        proofs(proof.kind());
        LOG.info("call {}: direct confirmed by {}, {} ms after the move", a.call.callId(), proof.evidence(),
                Duration.between(a.movedAt, clock.instant()).toMillis());
    }

    private void move(Attempt a, PunchJudge.Ready ready) {
        try {
            a.callerRelayed = a.call.sdpSentTo(Side.CALLER);
            a.calleeRelayed = a.call.sdpSentTo(Side.CALLEE);
            if (a.callerRelayed == null || a.calleeRelayed == null) {
                finish(a, "a phone got no SDP from us", "not-possible");
                return;
            }
            a.callerDirect = DirectSdp.towards(a.callerRelayed, ready.callee().address(), ready.callee().port());
            a.calleeDirect = DirectSdp.towards(a.calleeRelayed, ready.caller().address(), ready.caller().port());
        } catch (DirectSdp.Unusable e) {
            finish(a, "SDP not movable: " + e.getMessage(), "not-possible");
            return;
        }
        a.state = State.MOVING;
        LOG.debug("call {}: moving media direct, caller {}:{} <-> callee {}:{}", a.call.callId(),
                ready.caller().address(), ready.caller().port(), ready.callee().address(), ready.callee().port());
        CompletableFuture<Integer> callerAnswer = a.call.reInviteOnce(Side.CALLER, a.callerDirect);
        CompletableFuture<Integer> calleeAnswer = a.call.reInviteOnce(Side.CALLEE, a.calleeDirect);
        status(callerAnswer).thenCombineAsync(status(calleeAnswer), (c, d) -> {
            safely(a, () -> {
                moved(a, c, d);
                backWhenTakenLate(a, Side.CALLER, c, callerAnswer);
                backWhenTakenLate(a, Side.CALLEE, d, calleeAnswer);
            });
            return null;
        }, thread);
    }

    /**
     * A phone whose answer to the move came after the bound was counted as refusing, so the call
     * stayed relayed; if it takes the move after all, its media would go direct to a phone that was
     * never moved. It goes back to the relay as soon as its late 2xx arrives.
     */
    private void backWhenTakenLate(Attempt a, Side side, int counted, CompletableFuture<Integer> answer) {
        if (counted != 0 || a.state != State.DONE) {
            return;
        }
        answer.thenAcceptAsync(status -> {
            if (status != null && status >= 200 && status < 300 && !a.call.over()) {
                LOG.info("call {}: the {} took the move {} after the bound; moved back to the relay", a.call.callId(),
                        side, status);
                safely(a, () -> back(a, side));
            }
        }, thread);
    }

    /**
     * The final status, 0 when there was none (not sent, timed out), or when none came within the
     * bound: a phone that takes longer is treated as refusing, so the other can go back in time.
     */
    private CompletableFuture<Integer> status(CompletableFuture<Integer> reInvite) {
        return reInvite.exceptionally(e -> 0).completeOnTimeout(0, settings.verifyWithin().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void moved(Attempt a, int callerStatus, int calleeStatus) {
        boolean callerTook = callerStatus >= 200 && callerStatus < 300;
        boolean calleeTook = calleeStatus >= 200 && calleeStatus < 300;
        if (a.call.over()) {
            finish(a, "call ended or renegotiated during the move", "ended");
            return;
        }
        if (callerTook && calleeTook) {
            a.state = State.CHECKING;
            a.movedAt = clock.instant();
            later(a);
            return;
        }
        String why = (callerTook ? "" : "caller answered the move " + describe(callerStatus))
                + (callerTook || calleeTook ? "" : ", ")
                + (calleeTook ? "" : "callee answered the move " + describe(calleeStatus));
        if (callerTook) {
            back(a, Side.CALLER);
        }
        if (calleeTook) {
            back(a, Side.CALLEE);
        }
        finish(a, why, "refused");
    }

    private static String describe(int status) {
        return status == 0 ? "not at all in time" : String.valueOf(status);
    }

    private void fallBack(Attempt a, String why) {
        back(a, Side.CALLER);
        back(a, Side.CALLEE);
        LOG.info("call {}: direct media not confirmed ({}), moved back to the relay", a.call.callId(), why);
        finish(a, "fell back: " + why, "fallback");
    }

    /** Points one phone at the relay again, with its relayed SDP one version above the direct one. */
    private void back(Attempt a, Side side) {
        String relayed = side == Side.CALLER ? a.callerRelayed : a.calleeRelayed;
        String direct = side == Side.CALLER ? a.callerDirect : a.calleeDirect;
        try {
            a.call.reInvite(side, DirectSdp.again(relayed, direct)).whenComplete((status, error) -> {
                if (error != null || status < 200 || status >= 300) {
                    LOG.warn("call {}: the {} did not take the move back to the relay: {}", a.call.callId(), side,
                            error != null ? error.getMessage() : status);
                }
            });
        } catch (DirectSdp.Unusable e) {
            throw new IllegalStateException("our own direct SDP has no version", e);
        }
    }

    private void finish(Attempt a, String why, String outcome) {
        if (a.state == State.DONE) {
            return;
        }
        a.state = State.DONE;
        count(outcome); // before the call hears of it: whoever waits on the call sees the metric too
        a.call.relayed(why);
        LOG.debug("call {}: stays relayed: {}", a.call.callId(), why);
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder("pinhole.punch.attempts").tag("outcome", o)
                .description("hole punching attempts by outcome").register(meters)).increment();
    }

    private void proofs(String kind) {
        proofs.computeIfAbsent(kind, k -> Counter.builder("pinhole.punch.proofs").tag("evidence", k)
                .description("punched calls by what proved or refuted direct media").register(meters)).increment();
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(2, TimeUnit.SECONDS);
    }
}
