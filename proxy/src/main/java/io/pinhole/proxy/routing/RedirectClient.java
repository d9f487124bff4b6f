package io.pinhole.proxy.routing;

import gov.nist.javax.sip.header.Via;
import io.pinhole.proxy.dns.Resolution;
import io.pinhole.proxy.dns.SipResolver;
import io.pinhole.proxy.dns.SipTarget;
import io.pinhole.proxy.sip.Flow;
import io.pinhole.proxy.sip.FlowRouter;
import io.pinhole.proxy.sip.ResponseListener;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks the redirect servers where a callee is served (seed 001: "sending a redirect invite
 * message to a redirect server"): an INVITE carrying the call's offer, answered 301/302 with
 * Contacts. Servers are asked in order; one that does not answer within the bound, or answers
 * 5xx, is skipped for the next. Answers are cached for their Contacts' expires.
 */
public final class RedirectClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedirectClient.class);

    private final List<Flow> servers;
    private final RoutingProperties properties;
    private final RedirectCache cache;
    private final SipFactories factories;
    private final SipSender sip;
    private final Clock clock;
    /** A server given by name is looked up (A/AAAA: it has a port) off the SIP threads, as call targets are. */
    private final SipResolver resolver;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "redirect-timer");
        t.setDaemon(true);
        return t;
    });

    public RedirectClient(RoutingProperties properties, RedirectCache cache, SipFactories factories,
                          SipSender sip, Clock clock, SipResolver resolver) {
        this.resolver = resolver;
        this.properties = properties;
        this.cache = cache;
        this.factories = factories;
        this.sip = sip;
        this.clock = clock;
        this.servers = properties.redirectServers().stream().map(RedirectClient::flow).toList();
    }

    private static Flow flow(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("pinhole.routing.redirect-servers: want host:port, got " + hostPort);
        }
        return new Flow(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), "UDP");
    }

    /** Where to send a call for {@code target}; never fails, never waits past the servers' bounds. */
    public CompletableFuture<RedirectAnswer> lookup(Request callerInvite, SipURI target, String sdp) {
        String key = target.toString();
        var cached = cache.get(key);
        if (cached.isPresent()) {
            return CompletableFuture.completedFuture(cached.get());
        }
        CompletableFuture<RedirectAnswer> answer = new CompletableFuture<>();
        ask(0, callerInvite, target, sdp, answer);
        return answer.whenComplete((a, e) -> {
            if (a instanceof RedirectAnswer.Targets targets) {
                cache.put(key, targets);
            }
        });
    }

    public void forget(SipURI target) {
        cache.forget(target.toString());
    }

    private void ask(int index, Request callerInvite, SipURI target, String sdp, CompletableFuture<RedirectAnswer> answer) {
        if (answer.isDone()) {
            return;
        }
        if (index >= servers.size()) {
            answer.complete(new RedirectAnswer.Unavailable("no redirect server answered"));
            return;
        }
        Flow configured = servers.get(index);
        resolver.resolve(new SipTarget(configured.address(), configured.port(), configured.transport(), false))
                .thenAccept(resolution -> {
                    if (resolution instanceof Resolution.Hops hops) {
                        send(index, hops.hops().get(0), callerInvite, target, sdp, answer);
                    } else {
                        LOG.warn("redirect server {}:{} not found: {}", configured.address(), configured.port(),
                                ((Resolution.Unresolved) resolution).why());
                        ask(index + 1, callerInvite, target, sdp, answer);
                    }
                });
    }

    private void send(int index, Flow server, Request callerInvite, SipURI target, String sdp,
                      CompletableFuture<RedirectAnswer> answer) {
        AtomicBoolean settled = new AtomicBoolean();
        Runnable next = () -> {
            if (settled.compareAndSet(false, true)) {
                ask(index + 1, callerInvite, target, sdp, answer);
            }
        };
        try {
            Request query = query(callerInvite, target, sdp, server);
            SipProvider provider = sip.provider(server.transport());
            ClientTransaction transaction = provider.getNewClientTransaction(query);
            transaction.setApplicationData(new ResponseListener() {
                @Override
                public void onResponse(Response response) {
                    int status = response.getStatusCode();
                    if (status < 200) {
                        return;
                    }
                    if (status >= 500) {
                        LOG.warn("redirect server {}:{} answered {} for {}", server.address(), server.port(), status, target);
                        next.run();
                        return;
                    }
                    if (settled.compareAndSet(false, true)) {
                        answer.complete(RedirectAnswers.read(response, clock.instant(), properties.defaultExpires()));
                    }
                }

                @Override
                public void onTimeout() {
                    next.run();
                }
            });
            transaction.sendRequest();
            timer.schedule(() -> {
                if (!settled.get()) {
                    LOG.warn("redirect server {}:{} did not answer within {} for {}", server.address(), server.port(),
                            properties.redirectTimeout(), target);
                }
                next.run();
            }, properties.redirectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("redirect query to {}:{} failed: {}", server.address(), server.port(), e.toString());
            next.run();
        }
    }

    private Request query(Request callerInvite, SipURI target, String sdp, Flow server) throws Exception {
        FromHeader originalFrom = (FromHeader) callerInvite.getHeader(FromHeader.NAME);
        ToHeader originalTo = (ToHeader) callerInvite.getHeader(ToHeader.NAME);
        Via via = (Via) factories.headers().createViaHeader(sip.advertisedHost(), sip.port(server.transport()),
                server.transport(), null);
        via.setRPort();
        Request query = factories.messages().createRequest((SipURI) target.clone(), Request.INVITE,
                sip.provider(server.transport()).getNewCallId(),
                factories.headers().createCSeqHeader(1L, Request.INVITE),
                factories.headers().createFromHeader((Address) originalFrom.getAddress().clone(),
                        Long.toHexString(System.nanoTime())),
                factories.headers().createToHeader((Address) originalTo.getAddress().clone(), null),
                List.of(via), factories.headers().createMaxForwardsHeader(70));
        var contactUri = factories.addresses().createSipURI(null, sip.advertisedHost());
        contactUri.setPort(sip.port(server.transport()));
        query.addHeader(factories.headers().createContactHeader(factories.addresses().createAddress(contactUri)));
        if (sdp != null) {
            query.setContent(sdp, factories.headers().createContentTypeHeader("application", "sdp"));
        }
        FlowRouter.route(query, server);
        return query;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
