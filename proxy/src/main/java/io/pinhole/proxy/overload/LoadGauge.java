package io.pinhole.proxy.overload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Reads the proxy's {@link Load} for admission, at most once per {@link #REFRESH_NANOS}: one of
 * its measures walks the ng commands in flight, too much to do for every INVITE at thousands a
 * second, and a load older than a few milliseconds is as good. Logs when shedding starts and
 * ends (one line each, with why), not per refused call.
 */
public final class LoadGauge {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGauge.class);
    static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** At most one line per this, however often shedding starts and stops. */
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final LongSupplier receiveMillis;
    private final LongSupplier callbackMillis;
    private final LongSupplier relayMillis;
    private final Shedding shedding;
    private final LongSupplier nanoClock;
    private volatile long readAt;
    private volatile Shedding.Cause cause = Shedding.Cause.NONE;
    private volatile Load load = Load.IDLE;
    private long loggedAt;
    private long episodes;

    public LoadGauge(LongSupplier receiveMillis, LongSupplier callbackMillis, LongSupplier relayMillis, Shedding shedding,
                     LongSupplier nanoClock) {
        this.receiveMillis = receiveMillis;
        this.callbackMillis = callbackMillis;
        this.relayMillis = relayMillis;
        this.shedding = shedding;
        this.nanoClock = nanoClock;
        this.readAt = nanoClock.getAsLong() - REFRESH_NANOS;
        this.loggedAt = readAt - LOG_EVERY_NANOS;
    }

    /** Why new calls are to be refused now; {@link Shedding.Cause#NONE} when they may come. */
    public Shedding.Cause cause() {
        long now = nanoClock.getAsLong();
        if (now - readAt >= REFRESH_NANOS) {
            readAt = now; // two threads reading at once both measure: harmless
            Load current = new Load(receiveMillis.getAsLong(), callbackMillis.getAsLong(), relayMillis.getAsLong());
            Shedding.Cause next = shedding.cause(current);
            Shedding.Cause before = cause;
            load = current;
            cause = next;
            if (next != before) {
                log(now, before, next, current);
            }
        }
        return cause;
    }

    private synchronized void log(long now, Shedding.Cause before, Shedding.Cause next, Load current) {
        if (before == Shedding.Cause.NONE) {
            episodes++;
        }
        if (now - loggedAt < LOG_EVERY_NANOS) {
            return;
        }
        loggedAt = now;
        if (next == Shedding.Cause.NONE) {
            LOG.info("new calls admitted again (receive backlog {} ms, callbacks {} ms, relay {} ms late; {} episode(s) of refusal so far)",
                    current.receiveMillis(), current.callbackMillis(), current.relayMillis(), episodes);
        } else {
            LOG.warn("refusing new calls with 503: {} (receive backlog {} ms, callbacks {} ms, relay {} ms late; limits {} ms "
                            + "queue, {} ms relay; {} episode(s) of refusal so far)", next.description(), current.receiveMillis(),
                    current.callbackMillis(), current.relayMillis(), shedding.maxQueueDelayMillis(),
                    shedding.maxRelayDelayMillis(), episodes);
        }
    }

    /** The last load read. */
    public Load load() {
        return load;
    }
}
