package io.pinhole.proxy.dns;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * How next hops given as names are resolved (RFC 3263, {@code pinhole.dns.*}).
 *
 * @param servers         DNS servers asked, each an IP address with an optional port ({@code 192.0.2.53},
 *                        {@code 192.0.2.53:5353}, {@code [2001:db8::53]:53}); empty = those of /etc/resolv.conf
 * @param timeout         one query to one server (dnsjava retries once, then the next server)
 * @param resolveTimeout  the whole resolution of one target (NAPTR, SRV and A/AAAA together): past it
 *                        the target counts as unresolvable and the call goes on to its next target or fails
 * @param failoverTimeout an INVITE to one of several resolved hops that gets no response at all within
 *                        this is given up for the next hop (RFC 3263 §4.3 "timeout"); a hop that sent any
 *                        response is waited for as usual
 * @param avoidFor        how long a hop that timed out, answered 503 or refused the connection is tried
 *                        only after the other hops of a target
 * @param cacheSize       DNS answers kept (each for its TTL)
 * @param maxNegativeTtl  the longest a "no such name/record" answer is kept (RFC 2308 lets the zone say)
 */
@Validated
@ConfigurationProperties("pinhole.dns")
public record DnsProperties(
        @DefaultValue("") List<String> servers,
        @DefaultValue("2s") Duration timeout,
        @DefaultValue("5s") Duration resolveTimeout,
        @DefaultValue("4s") Duration failoverTimeout,
        @DefaultValue("60s") Duration avoidFor,
        @DefaultValue("10000") int cacheSize,
        @DefaultValue("60s") Duration maxNegativeTtl) {

    public DnsProperties {
        servers = servers == null ? List.of() : servers.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        positive("timeout", timeout);
        positive("resolve-timeout", resolveTimeout);
        positive("failover-timeout", failoverTimeout);
        if (avoidFor == null || avoidFor.isNegative()) {
            throw new IllegalArgumentException("pinhole.dns.avoid-for must be 0 or more, got " + avoidFor);
        }
        if (maxNegativeTtl == null || maxNegativeTtl.isNegative()) {
            throw new IllegalArgumentException("pinhole.dns.max-negative-ttl must be 0 or more, got " + maxNegativeTtl);
        }
        if (cacheSize < 1) {
            throw new IllegalArgumentException("pinhole.dns.cache-size must be at least 1, got " + cacheSize);
        }
        serverAddresses(servers); // a bad address fails start-up, named
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("pinhole.dns." + name + " must be positive, got " + value);
        }
    }

    /** The configured servers as socket addresses (port 53 unless given). */
    public List<InetSocketAddress> serverAddresses() {
        return serverAddresses(servers);
    }

    static List<InetSocketAddress> serverAddresses(List<String> servers) {
        return servers.stream().map(DnsProperties::server).toList();
    }

    private static InetSocketAddress server(String text) {
        String host = text;
        int port = 53;
        try {
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                host = text.substring(1, close);
                if (close + 1 < text.length()) {
                    port = Integer.parseInt(text.substring(close + 2));
                }
            } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
                host = text.substring(0, text.indexOf(':'));
                port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
            }
            if (!Rfc3263.numeric(host) || port < 1 || port > 65535) {
                throw new IllegalArgumentException();
            }
            return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: no look-up
        } catch (RuntimeException | UnknownHostException e) {
            throw new IllegalArgumentException("pinhole.dns.servers: want an IP address with an optional port, got "
                    + text);
        }
    }
}
