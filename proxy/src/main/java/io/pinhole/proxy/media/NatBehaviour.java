package io.pinhole.proxy.media;

import java.util.Locale;

/**
 * A NAT's mapping or filtering behaviour in RFC 4787's terms (section 4.1 mapping, 5 filtering),
 * as a probe such as RFC 5780's finds it.
 */
public enum NatBehaviour {
    /** Mapping: one public port for every destination. Filtering: anyone may send to it. */
    ENDPOINT_INDEPENDENT,
    /** Mapping: a new public port per destination address. Filtering: only addresses sent to may answer. */
    ADDRESS_DEPENDENT,
    /** Mapping: a new public port per destination address and port. Filtering: only those exact peers may answer. */
    ADDRESS_AND_PORT_DEPENDENT,
    /** Not probed (or the probe could not tell). */
    UNKNOWN;

    boolean known() {
        return this != UNKNOWN;
    }

    /** "address-dependent" and the like, for reasons in words. */
    String words() {
        return name().toLowerCase(Locale.ROOT).replace("_and_", "-and-").replace('_', '-');
    }
}
