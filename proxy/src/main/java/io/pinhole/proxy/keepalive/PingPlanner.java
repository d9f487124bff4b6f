package io.pinhole.proxy.keepalive;

import io.pinhole.proxy.nat.NatVerdict;

import java.util.Locale;

/**
 * Decides how a registration's flow is kept open. A pure function of the flow's transport, the
 * NAT verdict on the registration and the policy, so it is tested without sockets.
 *
 * <p>UDP flows get a SIP OPTIONS: the phone's answer goes out through its NAT, which refreshes
 * the mapping from the inside (some NATs refresh only on outbound packets), and proves the phone
 * is there. TCP and TLS flows get a CRLF ping: the connection itself is the mapping, and the RI
 * answers a phone's own double-CRLF pings.
 */
public final class PingPlanner {

    private PingPlanner() {
    }

    /**
     * @param outbound the phone registered with RFC 5626 outbound (reg-id and "outbound" in
     *                 Supported): it was told a Flow-Timer and keeps the flow open itself
     */
    public static PingPlan plan(String transport, NatVerdict nat, boolean natOnly, boolean outbound) {
        String t = transport == null ? "" : transport.toUpperCase(Locale.ROOT);
        if (outbound) {
            return new PingPlan(PingMethod.NONE, "RFC 5626 outbound: the phone keeps its flow open (Flow-Timer)");
        }
        PingMethod method = switch (t) {
            case "UDP" -> PingMethod.OPTIONS;
            case "TCP", "TLS" -> PingMethod.CRLF;
            default -> PingMethod.NONE;
        };
        if (method == PingMethod.NONE) {
            return new PingPlan(PingMethod.NONE, "no keepalive over " + (t.isEmpty() ? "an unknown transport" : t));
        }
        if (natOnly && !nat.behindNat()) {
            return new PingPlan(PingMethod.NONE, "not behind NAT: the Contact is the packet's source");
        }
        String why = nat.behindNat() ? "behind NAT: " + String.join("; ", nat.reasons()) : "every binding is pinged";
        return new PingPlan(method, (method == PingMethod.OPTIONS ? "OPTIONS over UDP, " : "CRLF over " + t + ", ") + why);
    }
}
