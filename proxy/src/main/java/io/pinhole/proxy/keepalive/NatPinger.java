package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.registrar.FlowKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Pings registered phones behind NAT along the flow they registered over, so their NAT keeps
 * the mapping and a call can reach them (Linux conntrack forgets a UDP mapping 30 s after one
 * request/response). Each binding sits in one of {@link #slots()} buckets and one bucket is pinged
 * per tick of interval / slots: every binding once per interval, and every tick carries the
 * interval's even share. Ticks are about {@link #TICK} (interval / 10 ms buckets, at least
 * {@value #MIN_SLOTS} and at most {@value #MAX_SLOTS}), so 100,000 bindings at 20 s are 2,000
 * buckets of 50, one bucket every 10 ms: 5,000 pings/s, 50 at a time. A new binding goes to a
 * bucket with the fewest pinged bindings ({@link EvenSlots}; bindings not pinged, which are only
 * watched for leaving, are spread the same way apart from them): loaded at start-up, the buckets
 * differ by one binding at most; later a bucket is short by the bindings that left it and whose
 * places no newcomer has taken yet. (A binding is never moved to another bucket: moved later in
 * the round, it would go unpinged for longer than the interval.)
 *
 * <p>New bindings are planned on the same thread, within a time budget per tick (a quarter of
 * the tick): a restart loads every binding at once, and planning 100,000 in one tick, with code
 * the JIT has not compiled yet (about 30 µs a binding then, under 1 µs once compiled), held the
 * pings up for seconds and then ran the missed ticks back to back.
 *
 * <p>Threading: one thread of its own runs {@link #tick}; it alone touches the buckets and plans
 * new bindings. The SIP socket's thread only credits answers in the {@link PingBook}. Sending a
 * ping does not block (a UDP datagram from the proxy's SIP socket; CRLF on TCP goes to the
 * sender's own executor).
 */
public final class NatPinger implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(NatPinger.class);
    /** The tick the buckets are sized for: short enough that a bucket is a small burst. */
    static final Duration TICK = Duration.ofMillis(10);
    static final int MIN_SLOTS = 100;
    static final int MAX_SLOTS = 4096;

    private final PingBook book;
    private final BindingCache cache;
    private final PingSender sender;
    private final KeepaliveProperties properties;
    private final Function<Binding, NatVerdict> natOf;
    private final Clock clock;
    private final int slots;
    private final long intakeBudgetNanos;
    private final List<List<PingState>> buckets;
    private final AtomicLong optionsSent = new AtomicLong();
    private final AtomicLong crlfSent = new AtomicLong();
    private final AtomicLong becameUnreachable = new AtomicLong();
    /**
     * How full the buckets are, per kind of binding (index 1: pinged, 0: only watched for
     * leaving), so that the pinged ones are spread evenly whatever the mix.
     */
    private final EvenSlots[] fill;
    private int cursor;
    private ScheduledExecutorService timer;

    NatPinger(PingBook book, BindingCache cache, PingSender sender, KeepaliveProperties properties,
              Function<Binding, NatVerdict> natOf, Clock clock) {
        this(book, cache, sender, properties, natOf, clock,
                properties.interval().toNanos() / slots(properties.interval()) / 4);
    }

    /** @param intakeBudgetNanos how long a tick may plan new bindings (at least one is planned per tick) */
    NatPinger(PingBook book, BindingCache cache, PingSender sender, KeepaliveProperties properties,
              Function<Binding, NatVerdict> natOf, Clock clock, long intakeBudgetNanos) {
        this.book = book;
        this.cache = cache;
        this.sender = sender;
        this.properties = properties;
        this.natOf = natOf;
        this.clock = clock;
        this.slots = slots(properties.interval());
        this.intakeBudgetNanos = intakeBudgetNanos;
        this.fill = new EvenSlots[] {new EvenSlots(slots), new EvenSlots(slots)};
        this.buckets = new ArrayList<>(slots);
        for (int i = 0; i < slots; i++) {
            buckets.add(new ArrayList<>());
        }
    }

    /** Buckets per interval: one per {@link #TICK}, within [{@value #MIN_SLOTS}, {@value #MAX_SLOTS}]. */
    static int slots(Duration interval) {
        long perTick = interval.toNanos() / TICK.toNanos();
        return (int) Math.max(MIN_SLOTS, Math.min(MAX_SLOTS, perTick));
    }

    /** The number of ticks in one interval: one round over every bucket. */
    int slots() {
        return slots;
    }

    /** One bucket's worth of pings; first plans bindings accepted since the last tick, within the budget. */
    void tick() {
        intake();
        int bucketIndex = cursor;
        List<PingState> bucket = buckets.get(bucketIndex);
        cursor = (cursor + 1) % slots;
        Instant now = clock.instant();
        for (Iterator<PingState> it = bucket.iterator(); it.hasNext(); ) {
            PingState state = it.next();
            Binding current = current(state, now);
            if (current == null) {
                book.remove(state); // expired, removed, or re-registered over another flow
                it.remove();
                fill[kind(state)].release(bucketIndex);
                continue;
            }
            state.binding = current;
            if (state.plan.pinged()) {
                account(state);
                send(state);
            }
        }
    }

    private void intake() {
        long deadline = System.nanoTime() + intakeBudgetNanos;
        for (Binding binding; (binding = book.nextTracked()) != null; ) {
            plan(binding);
            if (System.nanoTime() - deadline >= 0) {
                return; // the rest waits for the next tick: the pings of this one go out on time
            }
        }
    }

    private void plan(Binding binding) {
        FlowKey identity = binding.flowKey();
        PingState existing = book.existing(identity);
        if (existing != null) {
            existing.binding = binding; // a refresh: same flow, new expiry
            return;
        }
        PingPlan plan = PingPlanner.plan(binding.flow().transport(), natOf.apply(binding), properties.natOnly(),
                binding.regId() != null);
        PingState state = book.add(identity, binding, plan);
        buckets.get(fill[kind(state)].take()).add(state);
    }

    private static int kind(PingState state) {
        return state.plan.pinged() ? 1 : 0;
    }

    private Binding current(PingState state, Instant now) {
        Binding known = state.binding;
        for (Binding binding : cache.lookup(known.aor(), now)) {
            if (binding.key().equals(known.key()) && binding.flow().equals(known.flow())) {
                return binding;
            }
        }
        return null;
    }

    /** Counts the previous ping if it went unanswered; marks the binding unreachable after {@code maxMissed} in a row. */
    private void account(PingState state) {
        if (state.sent == 0 || state.answered == state.sent) {
            state.missed = 0;
            return;
        }
        state.missed++;
        if (state.missed >= properties.maxMissed() && book.markUnreachable(state)) {
            becameUnreachable.incrementAndGet();
            Binding b = state.binding;
            LOG.info("keepalive: {} at {}:{} ({}) unreachable: {} pings in a row unanswered", b.aor(), b.flow().address(),
                    b.flow().port(), b.flow().transport(), state.missed);
        }
    }

    private void send(PingState state) {
        long sequence = state.sent + 1;
        state.sent = sequence;
        try {
            if (state.plan.method() == PingMethod.OPTIONS) {
                sender.options(state.binding, PingBook.CALL_ID_PREFIX + state.id + "-" + sequence);
                optionsSent.incrementAndGet();
            } else {
                sender.crlf(state.binding, () -> book.answered(state, sequence));
                crlfSent.incrementAndGet();
            }
        } catch (RuntimeException e) {
            // counted as unanswered on the next round; one line per failure is enough (no per-packet logging otherwise)
            LOG.debug("keepalive to {} failed: {}", state.binding.aor(), e.toString());
        }
    }

    long optionsSent() {
        return optionsSent.get();
    }

    long crlfSent() {
        return crlfSent.get();
    }

    long becameUnreachable() {
        return becameUnreachable.get();
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || timer != null) {
            return;
        }
        long periodNanos = properties.interval().toNanos() / slots;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "nat-pinger");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::safeTick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        LOG.info("keepalive: pinging {}bindings every {} in {} buckets, one every {} ms (unreachable after {} unanswered)",
                properties.natOnly() ? "NATed " : "", properties.interval(), slots, periodNanos / 1_000_000.0,
                properties.maxMissed());
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("keepalive tick failed", e); // the schedule must go on
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    /** After the SIP server (its providers exist), stopped before it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 50;
    }
}
