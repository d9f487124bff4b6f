package io.pinhole.relay.call;

/**
 * Counter totals of the relay at one moment.
 *
 * @param packets forwarded packets
 * @param bytes   forwarded bytes
 * @param dropped dropped packets (foreign source after latching, no destination yet, errors)
 */
public record Totals(long packets, long bytes, long dropped) {

    Totals plus(long p, long b, long d) {
        return new Totals(packets + p, bytes + b, dropped + d);
    }
}
