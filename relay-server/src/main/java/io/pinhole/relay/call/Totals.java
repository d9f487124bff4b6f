package io.pinhole.relay.call;

import io.pinhole.relay.media.Endpoint;

/**
 * Counter totals of the relay at one moment.
 *
 * @param packets forwarded packets
 * @param bytes   forwarded bytes
 * @param dropped dropped packets (foreign source after latching, no destination yet, errors)
 * @param keepalives      keepalive packets sent towards quiet latched sides (not in {@code packets})
 * @param keepaliveBytes  their bytes (not in {@code bytes})
 */
public record Totals(long packets, long bytes, long dropped, long keepalives, long keepaliveBytes) {

    static final Totals ZERO = new Totals(0, 0, 0, 0, 0);

    /** These totals plus one endpoint's counters. */
    Totals plus(Endpoint e) {
        return new Totals(packets + e.packetsOut(), bytes + e.bytesOut(), dropped + e.dropped(),
                keepalives + e.keepalives(), keepaliveBytes + e.keepaliveBytes());
    }
}
