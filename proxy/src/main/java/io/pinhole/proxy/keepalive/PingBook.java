package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.registrar.Binding;

import javax.sip.header.CallIdHeader;
import javax.sip.message.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the keepalives know about each pinged binding: the bindings waiting to be planned, the
 * state of each one pinged, and the answers matched to it. The registrar hands it every binding
 * it accepts ({@link #track}); the pinger plans and pings them; the SIP dispatcher hands it the
 * answers to our pings; the call layer and the admin API ask it which bindings answer.
 */
public final class PingBook {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PingBook.class);

    /** Our pings' Call-IDs: {@code nat-ping-<state id>-<sequence>@<host>}. */
    static final String CALL_ID_PREFIX = "nat-ping-";

    private final Clock clock;
    private final Queue<Binding> intake = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, PingState> byIdentity = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, PingState> byId = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong lateAnswers = new AtomicLong();

    public PingBook(Clock clock) {
        this.clock = clock;
    }

    /** A binding the registrar accepted (new or refreshed); planned on the pinger's thread. */
    public void track(Binding binding) {
        intake.add(binding);
    }

    Binding nextTracked() {
        return intake.poll();
    }

    PingState existing(String identity) {
        return byIdentity.get(identity);
    }

    PingState add(String identity, Binding binding, PingPlan plan) {
        PingState state = new PingState(ids.incrementAndGet(), identity, binding, plan);
        state.lastAnswerMillis = clock.millis();
        byIdentity.put(identity, state);
        byId.put(state.id, state);
        return state;
    }

    void remove(PingState state) {
        byIdentity.remove(state.identity, state);
        byId.remove(state.id, state);
    }

    /**
     * Takes an answer that came without a client transaction; true when it answers one of our
     * pings (any status counts: a phone that says 405 or 404 is there, and its answer went out
     * through its NAT).
     */
    public boolean answered(Response response) {
        CallIdHeader header = (CallIdHeader) response.getHeader(CallIdHeader.NAME);
        String callId = header == null ? null : header.getCallId();
        if (callId == null || !callId.startsWith(CALL_ID_PREFIX)) {
            return false;
        }
        int dash = callId.indexOf('-', CALL_ID_PREFIX.length());
        int at = callId.indexOf('@', dash + 1);
        if (dash < 0 || at < 0) {
            return true; // ours by its prefix, but mangled: nothing to credit
        }
        try {
            long id = Long.parseLong(callId, CALL_ID_PREFIX.length(), dash, 10);
            long sequence = Long.parseLong(callId, dash + 1, at, 10);
            PingState state = byId.get(id);
            if (state != null && sequence == state.sent) {
                answered(state, sequence);
            } else {
                lateAnswers.incrementAndGet();
            }
        } catch (NumberFormatException e) {
            lateAnswers.incrementAndGet();
        }
        return true;
    }

    void answered(PingState state, long sequence) {
        state.answered = sequence;
        state.lastAnswerMillis = clock.millis();
        answers.incrementAndGet();
        if (!state.reachable) {
            state.reachable = true;
            LOG.info("keepalive: {} at {}:{} ({}) answers again", state.binding.aor(), state.binding.flow().address(),
                    state.binding.flow().port(), state.binding.flow().transport());
        }
    }

    /** Whether the binding answers its pings; empty when it is not pinged. */
    public Optional<Boolean> reachable(Binding binding) {
        PingState state = byIdentity.get(PingState.identityOf(binding));
        return state == null || !state.plan.pinged() ? Optional.empty() : Optional.of(state.reachable);
    }

    /** How the binding is kept open, or null before the pinger has planned it. */
    public PingPlan plan(Binding binding) {
        PingState state = byIdentity.get(PingState.identityOf(binding));
        return state == null ? null : state.plan;
    }

    /**
     * The bindings to fork to: those that do not answer their pings are left out while another
     * binding of the same user does (or is not pinged); if none answers, all are tried.
     */
    public List<Binding> preferReachable(List<Binding> bindings) {
        if (bindings.size() < 2 || byIdentity.isEmpty()) {
            return bindings;
        }
        List<Binding> alive = new ArrayList<>(bindings.size());
        for (Binding binding : bindings) {
            if (reachable(binding).orElse(true)) {
                alive.add(binding);
            }
        }
        return alive.isEmpty() ? bindings : alive;
    }

    public int tracked() {
        return byIdentity.size();
    }

    public long unreachable() {
        return byIdentity.values().stream().filter(s -> !s.reachable).count();
    }

    public long answers() {
        return answers.get();
    }

    public long lateAnswers() {
        return lateAnswers.get();
    }
}
