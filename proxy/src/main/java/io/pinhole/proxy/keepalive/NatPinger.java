package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
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
 * request/response). Each binding sits in one of {@link #SLOTS} buckets chosen by its identity,
 * and one bucket is pinged per tick: every binding once per interval, spread evenly over it, so
 * 100,000 bindings at 20 s are 50 pings every 200 ms, never a burst.
 *
 * <p>Threading: one thread of its own runs {@link #tick}; it alone touches the buckets and plans
 * new bindings. The SIP threads only credit answers in the {@link PingBook}. Sending a ping does
 * not block (a UDP datagram from the proxy's SIP socket; CRLF on TCP goes to the sender's own
 * executor).
 */
public final class NatPinger implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(NatPinger.class);
    static final int SLOTS = 100;

    private final PingBook book;
    private final BindingCache cache;
    private final PingSender sender;
    private final KeepaliveProperties properties;
    private final Function<Binding, NatVerdict> natOf;
    private final Clock clock;
    private final List<List<PingState>> buckets = new ArrayList<>(SLOTS);
    private final AtomicLong optionsSent = new AtomicLong();
    private final AtomicLong crlfSent = new AtomicLong();
    private final AtomicLong becameUnreachable = new AtomicLong();
    private int cursor;
    private ScheduledExecutorService timer;

    NatPinger(PingBook book, BindingCache cache, PingSender sender, KeepaliveProperties properties,
              Function<Binding, NatVerdict> natOf, Clock clock) {
        this.book = book;
        this.cache = cache;
        this.sender = sender;
        this.properties = properties;
        this.natOf = natOf;
        this.clock = clock;
        for (int i = 0; i < SLOTS; i++) {
            buckets.add(new ArrayList<>());
        }
    }

    /** One bucket's worth of pings; also plans the bindings accepted since the last tick. */
    void tick() {
        intake();
        List<PingState> bucket = buckets.get(cursor);
        cursor = (cursor + 1) % SLOTS;
        Instant now = clock.instant();
        for (Iterator<PingState> it = bucket.iterator(); it.hasNext(); ) {
            PingState state = it.next();
            Binding current = current(state, now);
            if (current == null) {
                book.remove(state); // expired, removed, or re-registered over another flow
                it.remove();
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
        for (Binding binding; (binding = book.nextTracked()) != null; ) {
            String identity = PingState.identityOf(binding);
            PingState existing = book.existing(identity);
            if (existing != null) {
                existing.binding = binding; // a refresh: same flow, new expiry
                continue;
            }
            PingPlan plan = PingPlanner.plan(binding.flow().transport(), natOf.apply(binding), properties.natOnly(),
                    binding.regId() != null);
            PingState state = book.add(identity, binding, plan);
            buckets.get(Math.floorMod(identity.hashCode(), SLOTS)).add(state);
        }
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
        if (state.missed >= properties.maxMissed() && state.reachable) {
            state.reachable = false;
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
        long periodMicros = Math.max(10_000, properties.interval().toNanos() / 1000 / SLOTS);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "nat-pinger");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::safeTick, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
        LOG.info("keepalive: pinging {}bindings every {} (unreachable after {} unanswered)",
                properties.natOnly() ? "NATed " : "", properties.interval(), properties.maxMissed());
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
