package io.pinhole.proxy.dns;

import io.pinhole.proxy.sip.SipProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Set;

/** The RFC 3263 resolver and what it stands on. */
@Configuration(proxyBeanMethods = false)
public class DnsConfiguration {

    @Bean(destroyMethod = "close")
    DnsExecutor dnsExecutor() {
        return new DnsExecutor(2);
    }

    @Bean
    Dns dns(DnsProperties properties, Clock clock, DnsExecutor dnsExecutor) {
        return new DnsjavaClient(resolver(properties), new DnsCache(clock, properties.cacheSize(),
                properties.maxNegativeTtl()), dnsExecutor);
    }

    /** The configured servers, else those of /etc/resolv.conf (dnsjava's ResolverConfig reads it). */
    static Resolver resolver(DnsProperties properties) {
        ExtendedResolver resolver = properties.servers().isEmpty() ? new ExtendedResolver()
                : new ExtendedResolver(properties.serverAddresses().stream().map(SimpleResolver::new)
                .map(Resolver.class::cast).toList());
        resolver.setTimeout(properties.timeout());
        resolver.setRetries(2);
        return resolver;
    }

    @Bean
    SipResolver sipResolver(Dns dns, DnsProperties properties, SipProperties sip) {
        Set<String> transports = sip.tlsKeystore().isEmpty() ? Set.of("UDP", "TCP") : Set.of("UDP", "TCP", "TLS");
        return new SipResolver(dns, transports, new SecureRandom(), properties.resolveTimeout());
    }

    @Bean
    TargetHealth targetHealth(Clock clock, DnsProperties properties) {
        return new TargetHealth(clock, properties.avoidFor());
    }
}
