package io.pinhole.edge.media;

import java.time.Duration;

/**
 * How long an HTTP media link waits for the relay's answers before it takes the link as dead.
 * The relay answers a POST at once and a long poll after its hold at the latest ({@code http-hold},
 * 10 ms to 30 s, 100 ms by default), so a request left unanswered well past that went into a
 * connection that something on the path (a firewall, a NAT, a forward proxy) forgot without a
 * reset: nothing else would ever tell the agent.
 *
 * @param maxHold    the longest hold a relay may be configured with: the poll's bound until the
 *                   link has seen the relay's own hold
 * @param margin     what a poll's answer may take beyond the hold: the path's delay, a lost segment
 *                   retransmitted, a busy forward proxy
 * @param postAnswer how long a POST may go unanswered
 */
record HttpTimeouts(Duration maxHold, Duration margin, Duration postAnswer) {

    static final HttpTimeouts DEFAULTS = new HttpTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(5),
            Duration.ofSeconds(5));
}
