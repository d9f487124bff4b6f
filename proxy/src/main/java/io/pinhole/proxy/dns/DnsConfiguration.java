package io.pinhole.proxy.dns;

import io.micrometer.core.instrument.MeterRegistry;
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
    DnsMetrics dnsMetrics(MeterRegistry registry) {
        return new DnsMetrics(registry);
    }

    @Bean
    DnsCache dnsCache(Clock clock, DnsProperties properties) {
        return new DnsCache(clock, properties.cacheSize(), properties.maxNegativeTtl());
    }

    @Bean
    Dns dns(DnsProperties properties, DnsCache cache, DnsExecutor dnsExecutor, DnsMetrics metrics, TargetHealth health) {
        metrics.watch(cache, health);
        return new DnsjavaClient(resolver(properties), cache, dnsExecutor, metrics);
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
    SipResolver sipResolver(Dns dns, DnsProperties properties, SipProperties sip, DnsMetrics metrics) {
        Set<String> transports = sip.tlsKeystore().isEmpty() ? Set.of("UDP", "TCP") : Set.of("UDP", "TCP", "TLS");
        return new SipResolver(dns, transports, new SecureRandom(), properties.resolveTimeout(), metrics);
    }

    @Bean
    TargetHealth targetHealth(Clock clock, DnsProperties properties) {
        return new TargetHealth(clock, properties.avoidFor());
    }
}
