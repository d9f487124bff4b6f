package io.pinhole.proxy.dns;

import io.pinhole.proxy.sip.Flow;

import java.util.List;

/** Where a SIP target is sent: hops to try in order, or why there is none. */
public sealed interface Resolution {

    /** At least one hop, best first (RFC 3263 §4.3: the next one after a timeout, 503 or refused connection). */
    record Hops(List<Flow> hops) implements Resolution {
        public Hops {
            if (hops.isEmpty()) {
                throw new IllegalArgumentException("a resolution with hops needs at least one");
            }
            hops = List.copyOf(hops);
        }
    }

    /** No hop: {@code name} is the DNS name that failed, {@code why} says how. */
    record Unresolved(String name, String why) implements Resolution {
    }
}
