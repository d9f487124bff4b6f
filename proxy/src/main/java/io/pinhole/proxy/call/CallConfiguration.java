package io.pinhole.proxy.call;

import io.pinhole.proxy.auth.Challenges;
import io.pinhole.proxy.auth.DigestAuthenticator;
import io.pinhole.proxy.capture.CallCapture;
import io.pinhole.proxy.database.DatabaseStatus;
import io.pinhole.proxy.directory.UserDirectory;
import io.pinhole.proxy.dns.DnsExecutor;
import io.pinhole.proxy.dns.DnsProperties;
import io.pinhole.proxy.dns.SipResolver;
import io.pinhole.proxy.dns.TargetHealth;
import io.pinhole.proxy.media.MediaPathMetrics;
import io.pinhole.proxy.media.MediaPolicyConfig;
import io.pinhole.proxy.media.PunchingProperties;
import io.pinhole.proxy.punch.PunchDriver;
import io.pinhole.proxy.flood.AccountCaps;
import io.pinhole.proxy.flood.FloodProperties;
import io.pinhole.proxy.cluster.ClusterRouting;
import io.pinhole.proxy.registrar.BindingCache;
import io.pinhole.proxy.relay.FailoverProperties;
import io.pinhole.proxy.relay.RelayPool;
import io.pinhole.proxy.relay.RelayProperties;
import io.pinhole.proxy.relay.RelayRepository;
import io.pinhole.proxy.relay.RelayWatch;
import io.pinhole.proxy.session.SessionTimerGate;
import io.pinhole.proxy.session.SessionTimerHeaders;
import io.pinhole.proxy.session.SessionTimerPolicy;
import io.pinhole.proxy.session.SessionTimerProperties;
import io.pinhole.proxy.sip.RequestHandler;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipMetrics;
import io.pinhole.proxy.sip.SipProperties;
import io.pinhole.proxy.sip.SipSender;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;

/** How the call layer is put together. */
@Configuration(proxyBeanMethods = false)
public class CallConfiguration {

    @Bean(destroyMethod = "close")
    RelayPool relayPool(RelayRepository repository, RelayProperties properties, DatabaseStatus database,
                        io.pinhole.proxy.media.IceProperties ice) {
        RelayPool pool = new RelayPool(repository, properties, database);
        pool.ice(ice.ice());
        return pool;
    }

    @Bean
    io.pinhole.proxy.relay.RelayPoolMetrics relayPoolMetrics(RelayPool pool, io.micrometer.core.instrument.MeterRegistry meters) {
        return new io.pinhole.proxy.relay.RelayPoolMetrics(pool, meters);
    }

    @Bean
    ConferenceRecords conferenceRecords(CdrWriter cdrs) {
        return new ConferenceRecords(cdrs);
    }

    @Bean
    CallRegistry callRegistry(MeterRegistry meters, CallCapture capture) {
        CallRegistry registry = new CallRegistry(capture::link);
        Gauge.builder("pinhole.calls.active", registry, CallRegistry::active).register(meters);
        return registry;
    }

    /** At shutdown with the database away, queued CDRs are tried this long before they count as lost. */
    private static final Duration CDR_SHUTDOWN_BUDGET = Duration.ofSeconds(5);

    @Bean(destroyMethod = "close")
    CdrWriter cdrWriter(JdbcTemplate jdbc, MeterRegistry meters, DatabaseStatus database) {
        CdrWriter writer = new CdrWriter(jdbc, new MediaPathMetrics(meters),
                new CallOutcomeMetrics(meters), database, CDR_SHUTDOWN_BUDGET);
        Gauge.builder("pinhole.cdr.pending.writes", writer, CdrWriter::pending)
                .description("CDRs waiting to be written to the calls table").register(meters);
        for (CdrWriter.Loss loss : CdrWriter.Loss.values()) {
            FunctionCounter.builder("pinhole.cdr.write.failures", writer, w -> w.lost(loss)).tag("reason", loss.tag)
                    .description("CDRs never written: queue full, refused by the table, or left at shutdown")
                    .register(meters);
        }
        return writer;
    }

    @Bean
    SessionTimerPolicy sessionTimerPolicy(SessionTimerProperties properties, Clock clock) {
        return new SessionTimerPolicy(properties, clock);
    }

    @Bean
    SessionTimerHeaders sessionTimerHeaders(SipFactories factories) {
        return new SessionTimerHeaders(factories);
    }

    @Bean
    CallMessages callMessages(SipFactories factories, SipSender sender, SessionTimerPolicy timers,
                              SessionTimerHeaders timerHeaders) {
        return new CallMessages(factories, sender, timers, timerHeaders);
    }

    @Bean
    CallHangup callHangup(CallMessages messages, CallTerminator terminator, MeterRegistry meters) {
        return new CallHangup(messages, terminator, meters);
    }

    @Bean(destroyMethod = "close")
    MediaTimeoutWatch mediaTimeoutWatch(CallRegistry registry, CallHangup hangup, MediaTimeoutProperties properties,
                                        Clock clock) {
        return new MediaTimeoutWatch(registry, call -> hangup.hangUp(call, CallHangup.Why.MEDIA_TIMEOUT),
                properties.timeoutCheckInterval(), clock);
    }

    @Bean(destroyMethod = "close")
    SessionExpiry sessionExpiry(CallRegistry registry, CallHangup hangup, SessionTimerPolicy timers) {
        return new SessionExpiry(registry, hangup, timers);
    }

    @Bean(destroyMethod = "close")
    SentAckRelease sentAckRelease(CallRegistry registry) {
        return new SentAckRelease(registry);
    }

    @Bean
    CallTerminator callTerminator(CallRegistry registry, RelayPool relays, CdrWriter cdrs, Clock clock,
                                  CallMessages messages) {
        return new CallTerminator(registry, relays, cdrs, clock, messages);
    }

    @Bean
    CallFailure callFailure(CallMessages messages, CallTerminator terminator, SipMetrics metrics) {
        return new CallFailure(messages, terminator, metrics);
    }

    @Bean(destroyMethod = "close")
    PunchDriver punchDriver(PunchingProperties punching, Clock clock, MeterRegistry meters) {
        return new PunchDriver(punching, clock, meters);
    }

    @Bean
    OwnReInvite ownReInvite(CallMessages messages, CallRegistry registry) {
        return new OwnReInvite(messages, registry, Glare.DEFAULT);
    }

    @Bean
    ForkHangups forkHangups(CallMessages messages) {
        return new ForkHangups(messages);
    }

    /** The forks' responses, each kind to the class that handles it. */
    @Bean
    BranchResponses branchResponses(CallMessages messages, CallFailure failure, ForkHangups hangups, SipMetrics metrics,
                                    Clock clock, SessionTimerPolicy timers, SessionTimerHeaders timerHeaders,
                                    PunchDriver punches, OwnReInvite reInvites, Forker forker,
                                    io.pinhole.proxy.routing.TrunkCredentials trunks, CallRegistry registry,
                                    SipFactories factories, SipSender sender, RelayPool relays, RelayFailover failover) {
        CallerResponses caller = new CallerResponses(messages, metrics);
        AnswerRescue rescue = new AnswerRescue(failover, relays.callbacks());
        return new BranchResponses(
                new EarlyResponses(caller, new ReliableProvisionals(messages, caller), hangups, rescue),
                new ForkAnswers(messages, caller, new SessionTimerAnswer(timers, timerHeaders), hangups, failure,
                        new CallPunches(punches, reInvites), clock, rescue),
                new ForkFailures(new TrunkAuthenticator(trunks, registry, messages, factories, sender), forker));
    }

    @Bean(destroyMethod = "close")
    RelayFailover relayFailover(CallRegistry registry, RelayPool relays, OwnReInvite reInvites, CallHangup hangup,
                                CallMessages messages,
                                CallFailure failure, ForkHangups hangups, Clock clock, MeterRegistry meters,
                                io.pinhole.proxy.relay.FailoverProperties failover) {
        return new RelayFailover(registry, relays, reInvites, hangup, failure, hangups, clock, meters, failover,
                new EarlyMediaMove(messages, registry));
    }

    /** Pings the relays carrying our calls; a dead one's calls go to {@link RelayFailover} to move or end. */
    @Bean(destroyMethod = "close")
    RelayWatch relayWatch(RelayPool relays, FailoverProperties failover, RelayFailover mover, MeterRegistry meters) {
        return new RelayWatch(relays, failover, mover::relayDied, meters);
    }

    @Bean
    Forker forker(CallMessages messages, CallRegistry registry, CallFailure failure, SipResolver resolver,
                  TargetHealth health, DnsProperties dns, DnsExecutor dnsExecutor) {
        return new Forker(messages, registry, failure, resolver, health, dns.failoverTimeout(), dnsExecutor);
    }

    @Bean
    io.pinhole.proxy.routing.TrunkCredentials trunkCredentials(org.springframework.jdbc.core.simple.JdbcClient jdbc,
                                                               DatabaseStatus database) {
        return new io.pinhole.proxy.routing.TrunkCredentials(jdbc, database);
    }

    @Bean(destroyMethod = "close")
    io.pinhole.proxy.routing.RedirectClient redirectClient(io.pinhole.proxy.routing.RoutingProperties routing,
                                                           SipFactories factories, SipSender sender,
                                                           Clock clock, SipResolver resolver) {
        return new io.pinhole.proxy.routing.RedirectClient(routing, new io.pinhole.proxy.routing.RedirectCache(clock),
                factories, sender, clock, resolver);
    }

    /** The per-account caps read the registry: a call it no longer holds has ended, whichever path ended it. */
    @Bean
    AccountCaps accountCaps(FloodProperties flood, CallRegistry registry, Clock clock, MeterRegistry meters) {
        return new AccountCaps(clock, flood.maxConcurrentCallsPerAccount(), flood.maxCallsPerMinutePerAccount(),
                key -> registry.byInvite(key).isPresent(), meters);
    }

    /** The INVITE handler behind the session-timer gate, which answers 422 before any work is spent. */
    @Bean
    RequestHandler inviteHandler(UserDirectory directory, DigestAuthenticator authenticator, Challenges challenges,
                                BindingCache bindings, RelayPool relays, RelayProperties media, CallRegistry registry,
                                Forker forker, CallFailure failure, CallProperties calls, Responder responder,
                                SipMetrics metrics, SipFactories factories, SipProperties sip,
                                io.pinhole.proxy.routing.RedirectClient redirects, io.pinhole.proxy.sip.ReceiveBacklog backlog,
                                Clock clock, io.pinhole.proxy.keepalive.PingBook pings,
                                io.pinhole.proxy.probe.CapabilityBook capabilities, PunchingProperties punching,
                                AccountCaps accountCaps, SessionTimerPolicy timers, SessionTimerHeaders timerHeaders,
                                ConferenceEntry conferences, io.pinhole.proxy.edge.EdgeFlows edges,
                                ClusterRouting cluster) {
        Admission admission = new Admission(calls.maxNewPerSecond(), calls.maxActive(), calls.retryAfter());
        io.pinhole.proxy.overload.LoadGauge load = new io.pinhole.proxy.overload.LoadGauge(backlog::delayMillis,
                relays::callbackDelayMillis, relays::ngDelayMillis, new io.pinhole.proxy.overload.Shedding(
                calls.maxQueueDelay().toMillis(), calls.maxRelayDelay().toMillis()), System::nanoTime);
        String ownHost = sip.advertisedAddress().isBlank() ? sip.bindAddress() : sip.advertisedAddress();
        FlowKnowledge flows = new FlowKnowledge(pings, capabilities, bindings, edges);
        CallLegs legs = new CallLegs(flows, MediaPolicyConfig.of(media.policy(), media.trustedRelays(), punching),
                relays::capabilities, factories.addresses());
        RetryLater retryLater = new RetryLater(factories, failure, admission.retryAfter());
        InviteReplies replies = new InviteReplies(responder, metrics);
        InviteGate gate = new InviteGate(directory, cluster, new CallerAuth(authenticator, challenges, responder, metrics),
                new OverloadGuard(admission, load, registry, retryLater, responder, metrics), accountCaps, responder);
        CalleeLocator locator = new CalleeLocator(directory, bindings, flows, cluster, conferences, ownHost, clock);
        CallSetup setup = new CallSetup(legs, new CallerOffer(relays, metrics, failure, retryLater), forker,
                new RedirectLookup(redirects, forker, failure, retryLater, metrics), registry, replies);
        return new SessionTimerGate(new InviteHandler(gate, locator, setup, conferences, replies),
                timers, timerHeaders, responder, metrics);
    }

    @Bean
    CancelHandler cancelHandler(CallRegistry registry, ForkHangups hangups, CallFailure failure, Responder responder,
                                ConferenceEntry conferences) {
        return new CancelHandler(registry, hangups, failure, responder, conferences);
    }

    @Bean
    CallEvents callEvents(CallRegistry registry, CallMessages messages, CallTerminator terminator, Responder responder,
                          SipMetrics metrics, BranchResponses branches, ForkHangups hangups, SessionTimerPolicy timers,
                          SessionTimerHeaders timerHeaders, Clock clock) {
        return new CallEvents(registry, new InDialogHandler(registry, messages, terminator, responder, metrics, timers,
                timerHeaders, clock), branches, hangups, new ForwardResponses(messages, metrics, timers, timerHeaders),
                terminator);
    }
}
