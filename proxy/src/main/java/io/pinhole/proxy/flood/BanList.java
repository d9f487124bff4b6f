package io.pinhole.proxy.flood;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Banned source addresses, each until its ban time has passed (Kamailio's {@code ipban} htable
 * with {@code autoexpire}). The look-up every request makes is one lock-free map read. The list
 * holds at most {@code capacity} bans so that a flood from ever new addresses cannot exhaust
 * memory; while it is full no new ban starts (the rate limit still drops what each source sends
 * past it) and that is logged once. Each ban logs one line when it starts and one when it ends.
 */
final class BanList {

    private static final Logger LOG = LoggerFactory.getLogger(BanList.class);

    private final ConcurrentHashMap<InetAddress, Ban> bans = new ConcurrentHashMap<>();
    private final int capacity;
    private final Duration banTime;
    private final Map<BanReason, Counter> started = new EnumMap<>(BanReason.class);
    private volatile boolean full;

    BanList(int capacity, Duration banTime, MeterRegistry meters) {
        this.capacity = capacity;
        this.banTime = banTime;
        for (BanReason reason : BanReason.values()) {
            started.put(reason, Counter.builder("pinhole.flood.bans").tag("reason", reason.tag())
                    .description("Bans started: a source past the request rate, or a scanner's User-Agent")
                    .register(meters));
        }
        Gauge.builder("pinhole.flood.banned", bans, Map::size).description("Source addresses banned now")
                .register(meters);
    }

    /** The ban in force for {@code source}, or null; a ban found expired ends here. */
    Ban active(InetAddress source, long nowMillis) {
        Ban ban = bans.get(source);
        if (ban == null || ban.activeAt(nowMillis)) {
            return ban;
        }
        end(ban, "expired");
        return null;
    }

    /**
     * Bans {@code source} for the ban time from now. False when it is banned already (another
     * thread got there first) or the list is full.
     */
    boolean ban(InetAddress source, BanReason reason, String detail, long nowMillis) {
        if (bans.size() >= capacity) {
            if (!full) {
                full = true;
                LOG.warn("flood: the ban list is full ({} addresses, pinhole.flood.max-bans): {} is not banned; until "
                        + "bans expire, sources past the rate only lose what they send past it", capacity, source.getHostAddress());
            }
            return false;
        }
        Ban ban = new Ban(source, reason, detail, nowMillis, nowMillis + banTime.toMillis());
        if (bans.putIfAbsent(source, ban) != null) {
            return false;
        }
        started.get(reason).increment();
        LOG.warn("flood: {} banned until {} ({}): {}", source.getHostAddress(), Instant.ofEpochMilli(ban.untilMillis),
                reason.tag(), detail);
        return true;
    }

    /** Ends the ban of {@code source} now (the admin API); false when it had none. */
    boolean lift(InetAddress source) {
        Ban ban = bans.get(source);
        return ban != null && end(ban, "lifted by the admin API");
    }

    /** The bans in force, ending soonest first. */
    List<Ban> list(long nowMillis) {
        return bans.values().stream().filter(b -> b.activeAt(nowMillis))
                .sorted(Comparator.comparingLong((Ban b) -> b.untilMillis)).toList();
    }

    /** Ends every ban whose time has passed (so the end is logged even when the source has gone quiet). */
    void purgeExpired(long nowMillis) {
        for (Ban ban : bans.values()) {
            if (!ban.activeAt(nowMillis)) {
                end(ban, "expired");
            }
        }
        if (full && bans.size() < capacity) {
            full = false;
            LOG.info("flood: the ban list has room again ({} of {})", bans.size(), capacity);
        }
    }

    int size() {
        return bans.size();
    }

    /** Only the thread that removes the ban logs its end: one line per ban. */
    private boolean end(Ban ban, String how) {
        if (!bans.remove(ban.address, ban)) {
            return false;
        }
        LOG.info("flood: ban of {} ({}) ended, {}; {} requests blocked during it", ban.address.getHostAddress(),
                ban.reason.tag(), how, ban.blockedCount());
        return true;
    }
}
