package io.pinhole.relay.stats;

import io.pinhole.relay.call.CallRegistry;
import io.pinhole.relay.call.Totals;

/**
 * A snapshot of the relay's counters, taken by the control thread once per tick and read by any
 * thread (the ng {@code statistics} command, Prometheus scrapes). Rates are per second over the
 * last tick.
 */
public final class RelayStatistics {

    private volatile int activeCalls;
    private volatile int portPairsInUse;
    private volatile long packets;
    private volatile long bytes;
    private volatile long dropped;
    private volatile long keepalives;
    private volatile long keepaliveBytes;
    private volatile long created;
    private volatile long timedOut;
    private volatile long deleted;
    private volatile double packetRate;
    private volatile double byteRate;
    private volatile double dropRate;
    private long lastSampleNanos;

    /** Control thread only. */
    public void sample(CallRegistry registry, long nowNanos) {
        Totals t = registry.totals();
        if (lastSampleNanos != 0 && nowNanos > lastSampleNanos) {
            double secs = (nowNanos - lastSampleNanos) / 1e9;
            packetRate = (t.packets() - packets) / secs;
            byteRate = (t.bytes() - bytes) / secs;
            dropRate = (t.dropped() - dropped) / secs;
        }
        lastSampleNanos = nowNanos;
        packets = t.packets();
        bytes = t.bytes();
        dropped = t.dropped();
        keepalives = t.keepalives();
        keepaliveBytes = t.keepaliveBytes();
        activeCalls = registry.size();
        portPairsInUse = registry.ports().inUse();
        created = registry.createdCount();
        timedOut = registry.timedOutCount();
        deleted = registry.deletedCount();
    }

    public int activeCalls() {
        return activeCalls;
    }

    public int portPairsInUse() {
        return portPairsInUse;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    public long dropped() {
        return dropped;
    }

    /** Keepalive packets sent towards quiet latched sides (RFC 6263); not counted as forwarded. */
    public long keepalives() {
        return keepalives;
    }

    public long keepaliveBytes() {
        return keepaliveBytes;
    }

    public long created() {
        return created;
    }

    public long timedOut() {
        return timedOut;
    }

    public long deleted() {
        return deleted;
    }

    public double packetRate() {
        return packetRate;
    }

    public double byteRate() {
        return byteRate;
    }

    public double dropRate() {
        return dropRate;
    }
}
