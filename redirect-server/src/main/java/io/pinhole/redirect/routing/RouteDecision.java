package io.pinhole.redirect.routing;

import java.util.List;

/**
 * What the redirect server answers for one Request-URI: the status and, for 3xx, the Contacts
 * in preference order (q descending; equal q in the order of the table, weights not yet applied).
 */
public record RouteDecision(Outcome outcome, MatchedBy matchedBy, List<Redirect> redirects) {

    public RouteDecision {
        redirects = List.copyOf(redirects);
        if (outcome.isRedirect() == redirects.isEmpty()) {
            throw new IllegalArgumentException(outcome + " with " + redirects.size() + " contacts");
        }
    }

    static RouteDecision notFound() {
        return new RouteDecision(Outcome.NOT_FOUND, MatchedBy.NONE, List.of());
    }

    static RouteDecision unsupportedScheme() {
        return new RouteDecision(Outcome.UNSUPPORTED_URI_SCHEME, MatchedBy.NONE, List.of());
    }

    public int statusCode() {
        return outcome.statusCode();
    }

    public enum Outcome {
        MOVED_PERMANENTLY(301),
        MOVED_TEMPORARILY(302),
        NOT_FOUND(404),
        LOOP_DETECTED(482),
        UNSUPPORTED_URI_SCHEME(416);

        private final int statusCode;

        Outcome(int statusCode) {
            this.statusCode = statusCode;
        }

        public int statusCode() {
            return statusCode;
        }

        public boolean isRedirect() {
            return statusCode / 100 == 3;
        }
    }

    /** Which rule found the routes: the first that has any wins. */
    public enum MatchedBy {
        USER,
        DOMAIN,
        PREFIX,
        NONE
    }
}
