package io.pinhole.proxy.call;

import java.util.regex.Pattern;

/** Where a new call goes: a pure function of what the proxy knows about its target. */
final class CallRouting {

    private static final Pattern TELEPHONE_NUMBER = Pattern.compile("\\+?[0-9]{3,32}");

    /**
     * What is known about a new call's target.
     *
     * @param localCaller  the caller is a (authenticated) user of a served domain
     * @param targetDomain the served domain the call is for, null when it is for no domain of ours
     * @param user         the Request-URI's user part
     * @param registered   the user has live bindings
     * @param subscriber   the user exists in the directory
     * @param room         {@code user} is a conference room of {@code targetDomain}
     * @param adhocPrefix  a user part starting with it opens an ad hoc room; empty = off
     * @param fromPeer     a proxy of the cluster sent the call (io.pinhole.proxy.cluster), for a
     *                     phone registered through this proxy
     */
    record Facts(boolean localCaller, String targetDomain, String user, boolean registered, boolean subscriber,
                 boolean room, String adhocPrefix, boolean fromPeer) {

        /** A call from a phone or another domain: not from a peer. */
        Facts(boolean localCaller, String targetDomain, String user, boolean registered, boolean subscriber,
              boolean room, String adhocPrefix) {
            this(localCaller, targetDomain, user, registered, subscriber, room, adhocPrefix, false);
        }
    }

    private CallRouting() {
    }

    static RouteDecision decide(Facts facts) {
        RouteDecision decision = decideForAnyone(facts);
        // A peer is trusted to hand over calls for phones registered here, not to reach anything
        // else through us (trunks, other domains, rooms): no open relay between proxies either.
        if (facts.fromPeer() && decision.kind() != RouteDecision.Kind.LOCAL
                && decision.kind() != RouteDecision.Kind.UNAVAILABLE && decision.kind() != RouteDecision.Kind.NOT_FOUND) {
            return RouteDecision.of(RouteDecision.Kind.RELAYING_DENIED);
        }
        return decision;
    }

    private static RouteDecision decideForAnyone(Facts facts) {
        if (facts.targetDomain() == null) {
            return RouteDecision.of(facts.localCaller() ? RouteDecision.Kind.REDIRECT : RouteDecision.Kind.RELAYING_DENIED);
        }
        // A room is named by the operator for this purpose: it wins over a user of the same name.
        if (facts.room() || adhoc(facts.user(), facts.adhocPrefix())) {
            return new RouteDecision(RouteDecision.Kind.CONFERENCE, facts.user() + "@" + facts.targetDomain());
        }
        if (facts.registered()) {
            return new RouteDecision(RouteDecision.Kind.LOCAL, facts.user() + "@" + facts.targetDomain());
        }
        if (facts.subscriber()) {
            return RouteDecision.of(RouteDecision.Kind.UNAVAILABLE);
        }
        if (facts.localCaller() && TELEPHONE_NUMBER.matcher(facts.user()).matches()) {
            // A number that is no subscriber here: the routes (trunks) decide where it goes.
            return RouteDecision.of(RouteDecision.Kind.REDIRECT);
        }
        return RouteDecision.of(RouteDecision.Kind.NOT_FOUND);
    }

    /** An ad hoc room: the prefix and at least one character after it (the prefix alone is no room). */
    static boolean adhoc(String user, String prefix) {
        return prefix != null && !prefix.isEmpty() && user.length() > prefix.length() && user.startsWith(prefix);
    }
}
