package io.pinhole.proxy.keepalive;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.nat.NatDetector;
import io.pinhole.proxy.nat.NatEvidence;
import io.pinhole.proxy.nat.NatVerdict;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sip.address.SipURI;
import java.time.Clock;
import java.util.List;

/** The keepalive parts: the book the registrar, dispatcher and call layer share, the pinger and its sender. */
@Configuration(proxyBeanMethods = false)
public class KeepaliveConfiguration {

    @Bean
    PingBook pingBook(KeepaliveProperties properties, MeterRegistry meters) {
        PingBook book = new PingBook(properties.enabled());
        Gauge.builder("pinhole.keepalive.bindings", book, PingBook::tracked)
                .description("bindings the keepalive knows (pinged or not)").register(meters);
        Gauge.builder("pinhole.keepalive.unreachable", book, PingBook::unreachable)
                .description("pinged bindings whose last pings went unanswered").register(meters);
        FunctionCounter.builder("pinhole.keepalive.answers", book, PingBook::answers)
                .description("answers to the binding's last ping").register(meters);
        FunctionCounter.builder("pinhole.keepalive.answers.late", book, PingBook::lateAnswers)
                .description("answers to an older ping than the binding's last, or to a binding no longer pinged")
                .register(meters);
        return book;
    }

    @Bean(destroyMethod = "close")
    SipPingSender sipPingSender(SipServer server, SipFactories factories) {
        return new SipPingSender(server, factories);
    }

    @Bean
    NatPinger natPinger(PingBook book, BindingCache cache, SipPingSender sender, KeepaliveProperties properties,
                        SipFactories factories, Clock clock, MeterRegistry meters) {
        NatPinger pinger = new NatPinger(book, cache, sender, properties, binding -> natOf(binding, factories), clock);
        FunctionCounter.builder("pinhole.keepalive.pings", pinger, NatPinger::optionsSent).tag("method", "OPTIONS")
                .register(meters);
        FunctionCounter.builder("pinhole.keepalive.pings", pinger, NatPinger::crlfSent).tag("method", "CRLF")
                .register(meters);
        FunctionCounter.builder("pinhole.keepalive.unreachable.marked", pinger, NatPinger::becameUnreachable)
                .description("times a binding was marked unreachable").register(meters);
        return pinger;
    }

    /** The registration's NAT verdict: its Contact against the packet source it registered from. */
    public static NatVerdict natOf(Binding binding, SipFactories factories) {
        String host = null;
        int port = -1;
        try {
            if (factories.addresses().createURI(binding.contactUri()) instanceof SipURI sip) {
                host = sip.getHost();
                port = sip.getPort();
            }
        } catch (java.text.ParseException e) {
            // a stored contact was parsed once already; a bad one is simply no evidence
        }
        return NatDetector.detect(new NatEvidence(binding.flow().address(), binding.flow().port(), null, -1, host,
                port, List.of()));
    }
}
