package io.pinhole.proxy.dns;

import java.net.InetAddress;

/** The DNS records RFC 3263 reads, as plain values (the resolver library's types stay in {@link DnsjavaClient}). */
public sealed interface DnsRecord {

    /** NAPTR (RFC 3403): {@code service} such as {@code SIP+D2U}, {@code replacement} the SRV name to ask next. */
    record Naptr(int order, int preference, String flags, String service, String replacement) implements DnsRecord {
    }

    /** SRV (RFC 2782); {@code target} without the trailing dot, "." (given as "") meaning "no service here". */
    record Srv(int priority, int weight, int port, String target) implements DnsRecord {
    }

    /** A or AAAA. */
    record Address(InetAddress address) implements DnsRecord {
    }
}
