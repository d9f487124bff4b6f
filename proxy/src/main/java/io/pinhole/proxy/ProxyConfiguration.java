package io.pinhole.proxy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pinhole.proxy.auth.AuthGuard;
import io.pinhole.proxy.auth.AuthProperties;
import io.pinhole.proxy.auth.Challenges;
import io.pinhole.proxy.auth.DigestAuthenticator;
import io.pinhole.proxy.auth.NonceCounts;
import io.pinhole.proxy.auth.NonceService;
import io.pinhole.proxy.capture.CallCapture;
import io.pinhole.proxy.capture.CaptureTap;
import io.pinhole.proxy.database.DatabaseStatus;
import io.pinhole.proxy.directory.UserDirectory;
import io.pinhole.proxy.flood.FloodGuard;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.registrar.BindingPurger;
import io.pinhole.proxy.registrar.BindingRepository;
import io.pinhole.proxy.registrar.BindingWriter;
import io.pinhole.proxy.registrar.RegisterHandler;
import io.pinhole.proxy.registrar.RegistrarProperties;
import io.pinhole.proxy.sip.NonInviteLinger;
import io.pinhole.proxy.sip.RequestHandler;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipDispatcher;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipMetrics;
import io.pinhole.proxy.sip.SipProperties;
import io.pinhole.proxy.sip.SipSender;
import io.pinhole.proxy.sip.SipServer;
import io.pinhole.sip.AnswerTap;
import io.pinhole.sip.StatelessAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import javax.sip.header.CallIdHeader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** How the proxy's parts are put together. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class ProxyConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SipFactories sipFactories() {
        return SipFactories.create();
    }

    @Bean
    AuthGuard authGuard(AuthProperties auth, Clock clock, MeterRegistry meters) {
        return new AuthGuard(clock, auth.maxFailures(), auth.failureWindow(), auth.maxFailuresPerSource(),
                auth.sourceFailureWindow(), meters);
    }

    @Bean
    DigestAuthenticator digestAuthenticator(AuthProperties auth, UserDirectory directory, Clock clock, AuthGuard guard) {
        byte[] secret;
        if (auth.nonceSecret().isEmpty()) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        } else {
            secret = auth.nonceSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 16) {
                throw new IllegalArgumentException("pinhole.auth.nonce-secret must be at least 16 bytes");
            }
        }
        return new DigestAuthenticator(
                new NonceService(secret, auth.nonceTtl(), clock),
                new NonceCounts(clock, auth.nonceTtl()),
                guard,
                directory::find);
    }

    @Bean
    Challenges challenges(SipFactories factories, AuthProperties auth) {
        return new Challenges(factories, auth.digestAlgorithms(), auth.md5OnlyPatterns());
    }

    @Bean
    BindingCache bindingCache(BindingRepository repository, MeterRegistry meters,
                              io.pinhole.proxy.keepalive.PingBook pings, io.pinhole.proxy.probe.CapabilityBook capabilities) {
        BindingCache cache = new BindingCache(binding -> {
            pings.track(binding);
            capabilities.track(binding);
        });
        var live = repository.loadLive();
        cache.load(live);
        LOG.info("registrar: {} unexpired bindings loaded from the database", live.size());
        Gauge.builder("pinhole.registrations.active", cache, BindingCache::size).register(meters);
        return cache;
    }

    @Bean
    DatabaseStatus databaseStatus(Clock clock, MeterRegistry meters) {
        DatabaseStatus status = new DatabaseStatus(clock);
        Gauge.builder("pinhole.database.up", status, s -> s.up() ? 1 : 0)
                .description("1 while the proxy's last statement went through, 0 while the database is away")
                .register(meters);
        return status;
    }

    /** At shutdown with the database away, queued binding changes are tried this long before they count as lost. */
    private static final Duration WRITE_SHUTDOWN_BUDGET = Duration.ofSeconds(5);
    /** How long a batch of binding changes gathers more before it is written (see BindingWriter). */
    private static final Duration WRITE_GATHER = Duration.ofMillis(100);

    @Bean(destroyMethod = "close")
    BindingWriter bindingWriter(BindingRepository repository, RegistrarProperties registrar, MeterRegistry meters,
                                DatabaseStatus database) {
        BindingWriter writer = new BindingWriter(repository, registrar.writeQueueCapacity(), database,
                WRITE_SHUTDOWN_BUDGET, WRITE_GATHER);
        Gauge.builder("pinhole.registrations.pending.writes", writer, BindingWriter::pending).register(meters);
        FunctionCounter.builder("pinhole.registrations.write.failures", writer, BindingWriter::lost)
                .description("binding changes never written: queue full, or left at shutdown").register(meters);
        return writer;
    }

    @Bean
    BindingPurger bindingPurger(BindingCache cache, BindingRepository repository, Clock clock, DatabaseStatus database) {
        return new BindingPurger(cache, repository, clock, database);
    }

    @Bean
    RegisterHandler registerHandler(UserDirectory directory, DigestAuthenticator authenticator, Challenges challenges,
                                    BindingCache cache, BindingWriter writer, RegistrarProperties registrar,
                                    Responder responder, SipFactories factories, SipMetrics metrics, Clock clock,
                                    io.pinhole.proxy.edge.EdgeFlows edges, io.pinhole.proxy.edge.EdgeTokens tokens) {
        return new RegisterHandler(directory, authenticator, challenges, cache, writer, registrar.policy(), responder,
                factories, metrics, clock, edges, tokens);
    }

    /**
     * The answers to the requests the proxy sends without a client transaction (NAT pings, the
     * registration probe's OPTIONS), taken from the UDP socket by their Call-ID before the stack
     * parses them: the RI would compare each with every client transaction in flight.
     */
    @Bean
    AnswerTap answerTap(List<StatelessAnswers> answers, MeterRegistry meters) {
        AnswerTap tap = new AnswerTap(answers);
        FunctionCounter.builder("pinhole.sip.stateless.answers", tap, AnswerTap::takenFromDatagrams)
                .tag("taken", "socket").description("answers to NAT pings and probes taken from the UDP socket, unparsed")
                .register(meters);
        FunctionCounter.builder("pinhole.sip.stateless.answers", tap, AnswerTap::takenFromMessages)
                .tag("taken", "listener")
                .description("answers to NAT pings and probes that got past the socket (parsed, matched by the stack)")
                .register(meters);
        return tap;
    }

    @Bean
    SipDispatcher sipDispatcher(List<RequestHandler> handlers, io.pinhole.proxy.sip.DialogEvents dialogs,
                                Responder responder, SipMetrics metrics, SipFactories factories, SipProperties sip,
                                AnswerTap answers, FloodGuard flood) {
        return new SipDispatcher(handlers, dialogs, responder, metrics, factories, new NonInviteLinger(sip.nonInviteLinger()),
                response -> response.getHeader(CallIdHeader.NAME) instanceof CallIdHeader callId
                        && answers.take(callId.getCallId()), flood);
    }

    /** What the handlers send through: built before them, filled by the {@link SipServer} when it starts. */
    @Bean
    SipSender sipSender(SipProperties properties) {
        return new SipSender(properties);
    }

    @Bean
    SipServer sipServer(SipProperties properties, SipSender sender, SipDispatcher dispatcher, io.pinhole.proxy.sip.ReceiveBacklog backlog,
                        AnswerTap answers, io.pinhole.proxy.sip.CaptureProperties capture, CallCapture calls,
                        MeterRegistry meters) {
        io.pinhole.proxy.sip.Retransmissions retransmissions =
                new io.pinhole.proxy.sip.Retransmissions(meters, System::currentTimeMillis);
        if (!calls.enabled()) {
            return new SipServer(properties, sender, dispatcher, backlog, answers, capture, retransmissions);
        }
        CaptureTap ladder = new CaptureTap(calls);
        return new SipServer(properties, sender, dispatcher, backlog, answers, capture, (message, sent, peer, time) -> {
            retransmissions.message(message, sent, peer, time);
            ladder.message(message, sent, peer, time);
        });
    }

    @Bean
    io.pinhole.proxy.sip.ReceiveBacklog receiveBacklog() {
        return new io.pinhole.proxy.sip.ReceiveBacklog();
    }

    @Bean
    AuthHousekeeping authHousekeeping(DigestAuthenticator authenticator) {
        return new AuthHousekeeping(authenticator);
    }

    /** Forgets nonce counts and failure tallies that can no longer matter. */
    static final class AuthHousekeeping {
        private final DigestAuthenticator authenticator;

        AuthHousekeeping(DigestAuthenticator authenticator) {
            this.authenticator = authenticator;
        }

        @Scheduled(fixedDelay = 30_000)
        void purge() {
            authenticator.purge();
        }
    }
}
