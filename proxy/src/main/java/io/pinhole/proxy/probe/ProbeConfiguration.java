package io.pinhole.proxy.probe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.keepalive.KeepaliveConfiguration;
import io.pinhole.proxy.keepalive.PingSender;
import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

/** The capability probe: its book (shared with the registrar, admin API and calls), store and prober. */
@Configuration(proxyBeanMethods = false)
public class ProbeConfiguration {

    @Bean(destroyMethod = "close")
    CapabilityRepository capabilityRepository(JdbcTemplate jdbc) {
        return new CapabilityRepository(jdbc);
    }

    @Bean
    CapabilityBook capabilityBook(CapabilityRepository repository, ProbeProperties properties) {
        CapabilityBook book = new CapabilityBook(properties.enabled());
        book.putAll(repository.loadLive()); // a restart does not probe every phone again
        return book;
    }

    /** Also a {@link io.pinhole.sip.StatelessAnswers}: the SIP server hands it the answers to the probes. */
    @Bean
    RunningProbes runningProbes() {
        return new RunningProbes();
    }

    @Bean
    NatProbe natProbe(ProbeProperties properties, SipServer server, SipFactories factories, PingSender flowSender,
                      CapabilityBook book, RunningProbes running, CapabilityRepository repository, Clock clock,
                      BindingCache cache, MeterRegistry meters) {
        NatProbe probe = new NatProbe(properties, server, factories, flowSender, book, running, repository::save,
                binding -> natOf(binding, factories), clock, cache);
        FunctionCounter.builder("pinhole.probe.completed", probe, NatProbe::probed)
                .description("registration flows whose filtering probe finished").register(meters);
        return probe;
    }

    private static NatVerdict natOf(Binding binding, SipFactories factories) {
        return KeepaliveConfiguration.natOf(binding, factories);
    }
}
