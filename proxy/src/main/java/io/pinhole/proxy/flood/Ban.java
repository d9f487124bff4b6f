package io.pinhole.proxy.flood;

import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * One banned source: fixed when the ban starts, except the count of requests refused during it,
 * which SIP threads add to concurrently.
 */
final class Ban {

    final InetAddress address;
    final BanReason reason;
    final String detail;
    final long sinceMillis;
    final long untilMillis;
    private final LongAdder blocked = new LongAdder();

    Ban(InetAddress address, BanReason reason, String detail, long sinceMillis, long untilMillis) {
        this.address = address;
        this.reason = reason;
        this.detail = detail;
        this.sinceMillis = sinceMillis;
        this.untilMillis = untilMillis;
    }

    boolean activeAt(long nowMillis) {
        return nowMillis < untilMillis;
    }

    void blocked() {
        blocked.increment();
    }

    long blockedCount() {
        return blocked.sum();
    }

    BanView view() {
        return new BanView(address.getHostAddress(), reason.tag(), detail, Instant.ofEpochMilli(sinceMillis),
                Instant.ofEpochMilli(untilMillis), blockedCount());
    }
}
