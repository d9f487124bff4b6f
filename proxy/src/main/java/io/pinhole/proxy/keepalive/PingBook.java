package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.FlowKey;
import io.pinhole.sip.StatelessAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * it accepts ({@link #track}); the pinger plans and pings them; the SIP socket hands it the
 * answers to our pings by their Call-ID ({@link #answered}, before the stack parses them); the
 * call layer and the admin API ask it which bindings answer.
 *
 * <p>With keepalives disabled nothing drains the bindings waiting to be planned, so none is
 * taken: the registrar's every REGISTER would otherwise stay in memory for as long as the proxy runs.
 */
public final class PingBook implements StatelessAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(PingBook.class);

    /** Our pings' Call-IDs: {@code nat-ping-<state id>-<sequence>@<host>}. */
    static final String CALL_ID_PREFIX = "nat-ping-";

    private final boolean enabled;
    private final Queue<Binding> intake = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<FlowKey, PingState> byIdentity = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, PingState> byId = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong lateAnswers = new AtomicLong();
    private final AtomicLong unreachable = new AtomicLong();

    /** @param enabled whether a pinger plans the tracked bindings ({@code pinhole.keepalive.enabled}) */
    public PingBook(boolean enabled) {
        this.enabled = enabled;
    }

    /** A binding the registrar accepted (new or refreshed); planned on the pinger's thread. */
    public void track(Binding binding) {
        if (enabled) {
            intake.add(binding);
        }
    }

    Binding nextTracked() {
        return intake.poll();
    }

    PingState existing(FlowKey identity) {
        return byIdentity.get(identity);
    }

    PingState add(FlowKey identity, Binding binding, PingPlan plan) {
        PingState state = new PingState(ids.incrementAndGet(), identity, binding, plan);
        byIdentity.put(identity, state);
        byId.put(state.id, state);
        return state;
    }

    void remove(PingState state) {
        byIdentity.remove(state.identity, state);
        byId.remove(state.id, state);
        markReachable(state); // forgotten: no longer counted as unreachable (an answer racing in finds it reachable)
    }

    /** The pinger's verdict after too many unanswered pings; true when the binding was reachable until now. */
    boolean markUnreachable(PingState state) {
        if (state.flipReachable(false)) {
            unreachable.incrementAndGet();
            return true;
        }
        return false;
    }

    private boolean markReachable(PingState state) {
        if (state.flipReachable(true)) {
            unreachable.decrementAndGet();
            return true;
        }
        return false;
    }

    @Override
    public String callIdPrefix() {
        return CALL_ID_PREFIX;
    }

    /**
     * An answer to one of our pings, by its Call-ID (any status counts: a phone that says 405 or
     * 404 is there, and its answer went out through its NAT). One to an older ping than the last,
     * or to a binding no longer pinged, is counted as late and credits nothing.
     */
    @Override
    public void answered(String callId) {
        int dash = callId.indexOf('-', CALL_ID_PREFIX.length());
        int at = callId.indexOf('@', dash + 1);
        if (!callId.startsWith(CALL_ID_PREFIX) || dash < 0 || at < 0) {
            lateAnswers.incrementAndGet(); // ours by its prefix, but mangled: nothing to credit
            return;
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
    }

    void answered(PingState state, long sequence) {
        state.answered = sequence;
        answers.incrementAndGet();
        if (markReachable(state)) {
            LOG.info("keepalive: {} at {}:{} ({}) answers again", state.binding.aor(), state.binding.flow().address(),
                    state.binding.flow().port(), state.binding.flow().transport());
        }
    }

    /** Whether the binding answers its pings; empty when it is not pinged. */
    public Optional<Boolean> reachable(Binding binding) {
        PingState state = byIdentity.get(binding.flowKey());
        return state == null || !state.plan.pinged() ? Optional.empty() : Optional.of(state.reachable());
    }

    /** How the binding is kept open, or null before the pinger has planned it. */
    public PingPlan plan(Binding binding) {
        PingState state = byIdentity.get(binding.flowKey());
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

    /** Bindings whose last pings went unanswered: a count kept as they flip, not a walk over them all. */
    public long unreachable() {
        return unreachable.get();
    }

    public long answers() {
        return answers.get();
    }

    /** Answers to a ping that was not the binding's last one, or to a binding no longer pinged. */
    public long lateAnswers() {
        return lateAnswers.get();
    }
}
