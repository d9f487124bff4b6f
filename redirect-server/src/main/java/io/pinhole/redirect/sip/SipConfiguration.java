package io.pinhole.redirect.sip;

import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.redirect.config.RedirectProperties;
import io.pinhole.redirect.routing.CurrentRoutes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sip.message.Request;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Wires the SIP side: one stack, one listener, a handler per method. */
@Configuration(proxyBeanMethods = false)
class SipConfiguration {

    @Bean
    SipServer sipServer(RedirectProperties properties, CurrentRoutes routes, MeterRegistry registry) {
        HeaderFactoryImpl headers = new HeaderFactoryImpl();
        Responder responder = new Responder(new MessageFactoryImpl(), headers,
                properties.sip().responseMode(), new ToTag(new SecureRandom().nextLong()));
        RequestValidator validator = new RequestValidator();
        RequestHandler redirect = new RedirectHandler(routes, validator, responder, headers,
                new ResponseCounters(registry), properties.maxContacts());
        Set<String> ownHosts = new HashSet<>(properties.sip().aliases());
        ownHosts.add(properties.sip().bindAddress());
        RedirectListener listener = new RedirectListener(Map.of(
                Request.ACK, new AckHandler(),
                Request.CANCEL, new CancelHandler(validator, responder),
                Request.OPTIONS, new OptionsHandler(ownHosts, validator, responder, headers, redirect)),
                redirect, responder);
        return new SipServer(properties.sip(), properties.capture(), listener);
    }
}
