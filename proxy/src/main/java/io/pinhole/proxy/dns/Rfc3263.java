package io.pinhole.proxy.dns;

import io.pinhole.wire.net.IpLiteral;

import java.util.List;
import java.util.Set;

/**
 * RFC 3263 §4's first decision, a pure function of the URI: which DNS look-ups (if any) find
 * its next hop, and over which transport. The look-ups themselves are {@link SipResolver}'s.
 */
public final class Rfc3263 {


    /** How a target is resolved. */
    public sealed interface Plan {
    }

    /** A numeric IP: no DNS at all. */
    public record Literal(String address, int port, String transport) implements Plan {
    }

    /** A name with an explicit port: A/AAAA only (§4.2). */
    public record Addresses(String host, int port, String transport) implements Plan {
    }

    /** A name with a transport but no port: SRV for that transport, else A/AAAA at its default port (§4.2). */
    public record Srv(String host, String transport) implements Plan {
    }

    /** A name alone: NAPTR, then SRV for the transports we have, then A/AAAA (§4.1). */
    public record Naptr(String host, boolean secure) implements Plan {
    }

    /** Nothing this proxy can send with (a transport it does not run). */
    public record Unusable(String why) implements Plan {
    }

    /** One NAPTR/SRV step: the SRV name to ask and the transport its targets are reached over. */
    public record SrvName(String name, String transport) {
    }

    private Rfc3263() {
    }

    public static Plan plan(SipTarget target, Set<String> transports) {
        String transport = target.transport() == null ? null : target.secure() && "TCP".equals(target.transport())
                ? "TLS" : target.transport();
        if (transport != null && !transports.contains(transport)) {
            return new Unusable("transport " + transport + " of " + target.host() + " is not enabled here");
        }
        boolean numeric = numeric(target.host());
        if (numeric || target.port() > 0) {
            // §4.1: a numeric host or an explicit port means UDP for sip:, TCP (TLS) for sips:
            String chosen = transport != null ? transport : target.secure() ? "TLS" : "UDP";
            if (!transports.contains(chosen)) {
                return new Unusable("transport " + chosen + " of " + target.host() + " is not enabled here");
            }
            int port = target.port() > 0 ? target.port() : defaultPort(chosen);
            return numeric ? new Literal(target.host(), port, chosen) : new Addresses(target.host(), port, chosen);
        }
        if (transport != null) {
            return new Srv(target.host(), transport);
        }
        return new Naptr(target.host(), target.secure());
    }

    /** The SRV name of a transport (§4.2): _sips._tcp for TLS, _sip._tcp, _sip._udp. */
    public static SrvName srvName(String host, String transport) {
        return new SrvName(switch (transport) {
            case "TLS" -> "_sips._tcp.";
            case "TCP" -> "_sip._tcp.";
            default -> "_sip._udp.";
        } + host, transport);
    }

    /** §4.1 without NAPTR records: SRV for each transport we have, in our order of preference. */
    public static List<SrvName> srvFallbacks(String host, boolean secure, Set<String> transports) {
        List<String> order = secure ? List.of("TLS") : List.of("UDP", "TCP", "TLS");
        return order.stream().filter(transports::contains).map(t -> srvName(host, t)).toList();
    }

    /** §4.1 without NAPTR or SRV: UDP (sip:) or TLS (sips:) at the default port. */
    public static String defaultTransport(boolean secure) {
        return secure ? "TLS" : "UDP";
    }

    public static int defaultPort(String transport) {
        return "TLS".equals(transport) ? 5061 : 5060;
    }

    public static boolean numeric(String host) {
        return IpLiteral.parseHost(host) != null;
    }
}
