package io.pinhole.proxy.probe;

/**
 * The NAT's mapping behaviour as one registration shows it, a pure function: a phone whose
 * Contact port came through unchanged sits behind a port-preserving NAT, and those keep the same
 * public port for every destination (endpoint-independent mapping, RFC 4787 REQ-1), which is
 * what a peer sending straight to that port needs. A changed port says the NAT allocates ports
 * itself; whether it reuses them per destination cannot be seen from one flow, so it is unknown
 * (and media is relayed). No NAT: nothing in between.
 */
public final class MappingObserver {

    private MappingObserver() {
    }

    /**
     * @param behindNat   the registration's NAT verdict
     * @param contactPort the port in the phone's Contact (-1 when it has none: 5060 is meant)
     * @param sourcePort  the port its REGISTER came from
     */
    public static Observation observe(boolean behindNat, int contactPort, int sourcePort) {
        if (!behindNat) {
            return new Observation(Mapping.NONE, "no NAT: the Contact is the packet's source");
        }
        int phonePort = contactPort > 0 ? contactPort : 5060;
        if (phonePort == sourcePort) {
            return new Observation(Mapping.ENDPOINT_INDEPENDENT,
                    "the NAT kept the phone's port " + phonePort + " (port-preserving: endpoint-independent mapping)");
        }
        return new Observation(Mapping.UNKNOWN,
                "the NAT changed port " + phonePort + " to " + sourcePort + ": its mapping may depend on the destination");
    }

    public record Observation(Mapping mapping, String reason) {
    }
}
