package io.pinhole.proxy.call;

import io.pinhole.proxy.cluster.ClusterRouting;
import io.pinhole.proxy.cluster.Delivery;
import io.pinhole.proxy.directory.UserDirectory;
import io.pinhole.proxy.registrar.Binding;
import io.pinhole.proxy.registrar.BindingCache;

import javax.sip.address.SipURI;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Gathers the facts for {@link CallRouting}'s decision, from memory: the served domain a call is
 * for, the callee's reachable bindings ({@link FlowKnowledge}), which proxy of the cluster holds
 * them, whether the name is a subscriber or a conference room.
 */
final class CalleeLocator {

    /**
     * Where a call goes, and what it is delivered with.
     *
     * @param callee   the callee's address of record in a served domain, or null when the domain is not ours
     * @param delivery how the callee's live bindings are reached (here, or through the proxy that holds them)
     * @param now      when the bindings were looked up: the call's start
     */
    record Located(RouteDecision route, String callee, Delivery delivery, Instant now) {
    }

    private final UserDirectory directory;
    private final BindingCache bindings;
    private final FlowKnowledge flows;
    private final ClusterRouting cluster;
    private final ConferenceEntry conferences;
    private final String ownHost;
    private final Clock clock;

    /** @param ownHost the address this proxy is known by: a Request-URI naming it is for the To's domain */
    CalleeLocator(UserDirectory directory, BindingCache bindings, FlowKnowledge flows, ClusterRouting cluster,
                  ConferenceEntry conferences, String ownHost, Clock clock) {
        this.directory = directory;
        this.bindings = bindings;
        this.flows = flows;
        this.cluster = cluster;
        this.conferences = conferences;
        this.ownHost = ownHost;
        this.clock = clock;
    }

    Located locate(String callId, Request request, SipURI target, Caller caller) {
        String targetDomain = targetDomain(request, target);
        Instant now = clock.instant();
        String callee = targetDomain == null ? null : target.getUser() + "@" + targetDomain;
        // a binding whose NAT pings go unanswered is skipped while another binding of the callee answers
        List<Binding> live = callee == null ? List.of() : flows.reachableFirst(bindings.lookup(callee, now));
        Delivery delivery = cluster.deliver(live, caller.viaPeer(), callee, callId);
        RouteDecision route = CallRouting.decide(new CallRouting.Facts(caller.local(), targetDomain, target.getUser(),
                !(delivery instanceof Delivery.Unreachable),
                targetDomain != null && directory.find(targetDomain, target.getUser()).isPresent(),
                targetDomain != null && conferences.isRoom(targetDomain, target.getUser()), conferences.adhocPrefix(),
                caller.viaPeer().isPresent()));
        return new Located(route, callee, delivery, now);
    }

    /** The reason phrase of the 480 for a callee without a live binding. */
    String unavailable(Located located) {
        return located.callee() == null ? "Temporarily Unavailable"
                : flows.unavailable(bindings.lookup(located.callee(), located.now()));
    }

    /** The served domain a call is for: the Request-URI's, or the To's when the R-URI names us by address. */
    private String targetDomain(Request request, SipURI target) {
        String host = target.getHost().toLowerCase(Locale.ROOT);
        if (directory.servesDomain(host)) {
            return host;
        }
        if (host.equals(ownHost) && ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI() instanceof SipURI to
                && directory.servesDomain(to.getHost().toLowerCase(Locale.ROOT))) {
            return to.getHost().toLowerCase(Locale.ROOT);
        }
        return null;
    }
}
