package io.pinhole.relay.conference;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The conferences' own media clock: every 20 ms it mixes one frame for every room, on the
 * conference loop (the loop that also runs every party's sockets, so a tick and the packets it
 * mixes never cross threads). The timer is fixed-rate (Netty keeps the deadlines, so a delayed
 * tick is followed by the missed ones at once and no frame is lost to drift); a tick that starts
 * more than half a frame after its deadline counts as late.
 *
 * <p>{@code rooms} is confined to the loop; the figures are written by it and read by anyone.
 */
public final class MediaClock {

    static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long LATE_NANOS = FRAME_NANOS / 2;

    private final List<Room> rooms = new ArrayList<>();
    private final LongSupplier nanoClock;
    private long startNanos;
    private long ticks;
    private volatile long lateTicks;
    private volatile long maxTickNanos;
    private volatile long lastTickNanos;
    private volatile long tickNanosTotal;
    private volatile long ticksTimed;
    private ScheduledFuture<?> timer;

    public MediaClock(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Starts ticking on the loop; the first tick is one frame from now. */
    public void start(EventLoop loop) {
        startNanos = nanoClock.getAsLong() + FRAME_NANOS;
        timer = loop.scheduleAtFixedRate(this::onTimer, FRAME_NANOS, FRAME_NANOS, TimeUnit.NANOSECONDS);
    }

    public void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void onTimer() {
        long due = startNanos + ticks * FRAME_NANOS;
        ticks++;
        long begin = nanoClock.getAsLong();
        if (begin - due > LATE_NANOS) {
            lateTicks++;
        }
        tick();
        long took = nanoClock.getAsLong() - begin;
        lastTickNanos = took;
        tickNanosTotal += took;
        ticksTimed++;
        if (took > maxTickNanos) {
            maxTickNanos = took;
        }
    }

    /** Conference loop: one frame for every room. */
    public void tick() {
        List<Room> r = rooms;
        for (int i = 0; i < r.size(); i++) {
            r.get(i).tick();
        }
    }

    /** Conference loop. */
    void add(Room room) {
        rooms.add(room);
    }

    /** Conference loop. */
    void remove(Room room) {
        rooms.remove(room);
    }

    /** Ticks that started more than 10 ms after their deadline since start. */
    public long lateTicks() {
        return lateTicks;
    }

    /** The longest tick so far (all rooms), in nanoseconds. */
    public long maxTickNanos() {
        return maxTickNanos;
    }

    public long lastTickNanos() {
        return lastTickNanos;
    }

    /** The mean time a tick took (all rooms) since the last reset, in nanoseconds. */
    public long meanTickNanos() {
        long n = ticksTimed;
        return n == 0 ? 0 : tickNanosTotal / n;
    }

    /**
     * Resets the figures (benchmarks measure a steady state, not the start); done on the loop,
     * the figures' only writer.
     */
    public void resetFigures(EventLoop loop) {
        loop.execute(() -> {
            lateTicks = 0;
            maxTickNanos = 0;
            tickNanosTotal = 0;
            ticksTimed = 0;
        });
    }
}
