package io.pinhole.proxy.registrar;

import io.pinhole.proxy.auth.AuthOutcome;
import io.pinhole.proxy.auth.Challenges;
import io.pinhole.proxy.auth.DigestAuthenticator;
import io.pinhole.proxy.directory.UserDirectory;
import io.pinhole.proxy.edge.EdgeFlows;
import io.pinhole.proxy.edge.EdgeHeader;
import io.pinhole.proxy.edge.EdgeInfo;
import io.pinhole.proxy.edge.EdgeTokenCheck;
import io.pinhole.proxy.edge.EdgeTokens;
import io.pinhole.proxy.sip.IncomingRequest;
import io.pinhole.proxy.sip.RequestHandler;
import io.pinhole.proxy.sip.Responder;
import io.pinhole.proxy.sip.SipFactories;
import io.pinhole.proxy.sip.SipMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.GregorianCalendar;
import java.util.TimeZone;

/**
 * REGISTER (RFC 3261 §10.3): checks the domain, authenticates the user, applies the bindings
 * in memory, queues them for the database and answers with every current contact.
 */
public final class RegisterHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RegisterHandler.class);
    /**
     * Cloned for each 200's Date: a new GregorianCalendar looks its time zone up by name and works
     * out its locale's week data every time (1-2 % of a registration's CPU samples, bench/register).
     * Never changed itself, so clones may be taken on any thread.
     */
    private static final GregorianCalendar GMT_CALENDAR = new GregorianCalendar(TimeZone.getTimeZone("GMT"));

    private final UserDirectory directory;
    private final DigestAuthenticator authenticator;
    private final Challenges challenges;
    private final BindingCache bindings;
    private final BindingWriter writer;
    private final RegistrarPolicy policy;
    private final Responder responder;
    private final SipFactories factories;
    private final SipMetrics metrics;
    private final Clock clock;
    private final EdgeFlows edges;
    private final EdgeTokens tokens;

    public RegisterHandler(UserDirectory directory, DigestAuthenticator authenticator, Challenges challenges,
                           BindingCache bindings, BindingWriter writer, RegistrarPolicy policy, Responder responder,
                           SipFactories factories, SipMetrics metrics, Clock clock, EdgeFlows edges, EdgeTokens tokens) {
        this.edges = edges;
        this.tokens = tokens;
        this.directory = directory;
        this.authenticator = authenticator;
        this.challenges = challenges;
        this.bindings = bindings;
        this.writer = writer;
        this.policy = policy;
        this.responder = responder;
        this.factories = factories;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String method() {
        return "REGISTER";
    }

    @Override
    public void handle(IncomingRequest in) {
        RegisterReader.Aor aor;
        try {
            aor = RegisterReader.aor(in.request());
        } catch (RegisterReader.Malformed e) {
            reject(in, 400, e.getMessage());
            return;
        }
        if (!directory.servesDomain(aor.domain())) {
            reject(in, 404, "Domain not served here");
            return;
        }
        String token = EdgeHeader.token(in.request());
        if (token != null) {
            loginWithToken(in, aor, token);
            return;
        }
        AuthOutcome outcome = authenticator.authenticate("REGISTER", aor.domain(), aor.user(), in.flow().address(),
                Challenges.credentials(in.request(), false));
        if (outcome instanceof AuthOutcome.Challenge challenge) {
            if (!challenge.cause().startsWith("no credentials")) {
                metrics.authFailure(challenge.stale() ? "stale" : "challenge");
                LOG.info("REGISTER {} from {}:{} challenged again: {} (Call-ID {})", aor.text(),
                        in.flow().address(), in.flow().port(), challenge.cause(), in.callId());
            }
            responder.reply(in, 401, "Unauthorized", response -> challenges.challenge(response, in.request(), aor.domain(),
                    authenticator.issueNonce(), challenge.stale(), false));
        } else if (outcome instanceof AuthOutcome.Forbidden forbidden) {
            metrics.authFailure("forbidden");
            LOG.info("REGISTER {} from {}:{} refused: {} (Call-ID {})", aor.text(), in.flow().address(),
                    in.flow().port(), forbidden.reason(), in.callId());
            responder.reply(in, 403, forbidden.reason());
        } else if (outcome instanceof AuthOutcome.Authorized authorized) {
            register(in, aor, authorized.user().id(), null);
        }
    }

    /**
     * An edge agent's REGISTER with a token from the admin API in its Pinhole-Edge header: the token
     * stands for the digest (checked in memory, over TLS only); the log never shows it.
     */
    private void loginWithToken(IncomingRequest in, RegisterReader.Aor aor, String token) {
        EdgeTokenCheck.Verdict verdict = tokens.check(token, aor.text(), in.flow().transport());
        if (verdict instanceof EdgeTokenCheck.Accepted accepted) {
            register(in, aor, accepted.entry().userId(), accepted.entry());
            return;
        }
        EdgeTokenCheck.Refused refused = (EdgeTokenCheck.Refused) verdict;
        metrics.authFailure("forbidden");
        if (refused.exposed() != null) {
            LOG.warn("REGISTER {} from {}:{}/{} refused {}: {} (Call-ID {})", aor.text(), in.flow().address(),
                    in.flow().port(), in.flow().transport(), refused.status(), refused.log(), in.callId());
        } else {
            LOG.info("REGISTER {} from {}:{}/{} refused {}: {} (Call-ID {})", aor.text(), in.flow().address(),
                    in.flow().port(), in.flow().transport(), refused.status(), refused.log(), in.callId());
        }
        responder.reply(in, refused.status(), refused.reason());
    }

    /** @param token the edge agent token it logged in with, or null (digest) */
    private void register(IncomingRequest in, RegisterReader.Aor aor, long userId, EdgeTokenCheck.Entry token) {
        Instant now = clock.instant();
        EdgeInfo edge;
        try {
            // read only here, after the digest succeeded: an unauthenticated REGISTER's header is never looked at
            edge = EdgeHeader.read(in.request(), in.flow().transport());
        } catch (EdgeHeader.Invalid e) {
            reject(in, 400, e.getMessage());
            return;
        }
        RegisterRequest request;
        try {
            request = RegisterReader.read(in.request(), userId, aor, in.flow(), now);
        } catch (RegisterReader.Malformed e) {
            reject(in, 400, e.getMessage());
            return;
        }
        if (!writer.hasRoomFor(request.contacts().size() + policy.maxContacts())) {
            LOG.warn("REGISTER {} answered 503: binding write queue full (database slow or down)", aor.text());
            responder.reply(in, 503, "Service Unavailable", r -> retryAfter(r, 5));
            return;
        }
        RegistrationResult result = bindings.apply(aor.text(), now,
                live -> RegistrationPlanner.plan(request, live, policy));
        if (result instanceof RegistrationResult.Rejected rejected) {
            responder.reply(in, rejected.status(), rejected.reason(), r -> {
                if (rejected.minExpires() != null) {
                    try {
                        r.addHeader(factories.headers().createMinExpiresHeader(rejected.minExpires()));
                    } catch (javax.sip.InvalidArgumentException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        } else if (result instanceof RegistrationResult.Accepted accepted) {
            if (accepted.changed()) {
                writer.submit(accepted);
            }
            if (edge != null) {
                edges.registered(edge, in.flow(), accepted.bindings());
                if (token != null) {
                    tokens.loggedIn(token, edge.id());
                }
            }
            boolean outbound = false;
            for (ContactSpec contact : request.contacts()) {
                outbound |= contact.regId() != null;
            }
            boolean flowKept = outbound;
            responder.reply(in, 200, "OK", r -> {
                listBindings(r, accepted, now, in.request());
                if (flowKept) {
                    outbound(r, in.flow().transport());
                }
            });
        }
    }

    /**
     * Lists every binding of the AOR in the 200, and the Date (RFC 3261 §10.3 step 8). A binding this
     * REGISTER sent reuses the request's parsed URI instead of parsing its text again (2 % of a
     * registration's CPU samples, bench/register): the request is done with once it is answered, and
     * a response is only encoded, so nothing changes the shared URI.
     */
    private void listBindings(Response response, RegistrationResult.Accepted accepted, Instant now, Request request) {
        try {
            for (Binding binding : accepted.bindings()) {
                URI uri = RegisterReader.contactUri(request, binding.contactUri());
                ContactHeader contact = factories.headers().createContactHeader(uri != null
                        ? factories.addresses().createAddress(uri)
                        : factories.addresses().createAddress(binding.contactUri()));
                contact.setExpires((int) Math.min(Integer.MAX_VALUE, binding.remainingSeconds(now)));
                if (binding.q() != null) {
                    contact.setQValue(binding.q());
                }
                if (binding.instanceId() != null) {
                    contact.setParameter("+sip.instance", "\"" + binding.instanceId() + "\"");
                }
                if (binding.regId() != null) {
                    contact.setParameter("reg-id", binding.regId().toString());
                }
                response.addHeader(contact);
            }
            GregorianCalendar date = (GregorianCalendar) GMT_CALENDAR.clone();
            date.setTimeInMillis(now.toEpochMilli());
            response.addHeader(factories.headers().createDateHeader(date));
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot list bindings of " + accepted.bindings().get(0).aor(), e);
        }
    }

    /**
     * RFC 5626 §5.4/§6: we are the phone's first hop and its registrar, so the flow it registered
     * over is kept for requests to it, and the phone keeps that flow open itself (STUN on UDP,
     * CRLF on TCP/TLS) at the interval Flow-Timer gives.
     */
    private void outbound(Response response, String transport) {
        try {
            response.addHeader(factories.headers().createRequireHeader("outbound"));
            response.addHeader(factories.headers().createHeader("Flow-Timer",
                    Integer.toString(policy.flowTimer(transport))));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private void reject(IncomingRequest in, int status, String reason) {
        LOG.info("REGISTER from {}:{} rejected {} {} (Call-ID {})", in.flow().address(), in.flow().port(), status,
                reason, in.callId());
        responder.reply(in, status, reason);
    }

    private void retryAfter(Response response, int seconds) {
        try {
            response.addHeader(factories.headers().createRetryAfterHeader(seconds));
        } catch (javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException(e);
        }
    }
}
